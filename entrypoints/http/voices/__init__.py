"""/api/v1/voices: the speech engines' voices, and previews."""

"""The uploads feature: book files -> detected chapters -> narration or summaries."""

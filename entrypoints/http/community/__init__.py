"""/api/v1 community routes: users, genres, reviews, recommendations, catalogue, search."""

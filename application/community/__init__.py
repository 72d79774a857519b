"""The community feature: profiles, genres, reviews, favourites, catalogue, recommendations."""

"""The community side of the catalogue: profiles, genres, reviews, ratings, favourites."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from uuid import UUID

from domain.errors import ValidationFailed

MAX_NAME_LENGTH = 100
MAX_REVIEW_LENGTH = 5000
MIN_RATING, MAX_RATING = 1, 5
# Bayesian average: every book starts as if it had PRIOR_WEIGHT ratings of PRIOR_MEAN.
PRIOR_MEAN = 3.5
PRIOR_WEIGHT = 10


def fold(text: str) -> str:
    """Lower-case ``text`` without accents ("Misérables" -> "miserables")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True, slots=True)
class Profile:
    """A user's public name."""

    user_id: UUID
    first_name: str = ""
    last_name: str = ""
    updated_at: datetime | None = None

    @classmethod
    def create(cls, user_id: UUID, first_name: str, last_name: str, now: datetime) -> Profile:
        """A profile with trimmed names. Raises ValidationFailed when a name is too long."""
        first, last = _clean_name(first_name, "first_name"), _clean_name(last_name, "last_name")
        return cls(user_id, first, last, now)


def _clean_name(text: str, field: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", strip_html(text)).split())
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationFailed(f"{field} must be at most {MAX_NAME_LENGTH} characters")
    return name


# --- genres -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Genre:
    """One genre of the curated list; ``id`` is a stable slug."""

    id: str
    name: str
    keywords: tuple[str, ...] = ()


GENRES: tuple[Genre, ...] = (
    Genre("fantasy", "Fantasy", ("fantasy", "magic", "dragons", "wizards", "fairy tales")),
    Genre(
        "science-fiction",
        "Science fiction",
        ("science fiction", "sci-fi", "space opera", "dystopia", "robots"),
    ),
    Genre("mystery", "Mystery", ("mystery", "detective", "crime", "murder")),
    Genre("thriller", "Thriller", ("thriller", "suspense", "espionage", "spy")),
    Genre("romance", "Romance", ("romance", "love stories")),
    Genre("horror", "Horror", ("horror", "ghost", "vampires", "supernatural")),
    Genre("historical-fiction", "Historical fiction", ("historical fiction",)),
    Genre("classics", "Classics", ("classic", "classics", "classic literature")),
    Genre("adventure", "Adventure", ("adventure", "adventure stories", "sea stories")),
    Genre("poetry", "Poetry", ("poetry", "poems", "verse")),
    Genre("drama", "Drama", ("drama", "plays", "tragedy", "comedies")),
    Genre("children", "Children", ("juvenile fiction", "juvenile literature", "children")),
    Genre("young-adult", "Young adult", ("young adult",)),
    Genre(
        "biography", "Biography & memoir", ("biography", "autobography", "autobiography", "memoir")
    ),
    Genre("history", "History", ("history",)),
    Genre("science", "Science", ("science", "physics", "biology", "chemistry", "astronomy")),
    Genre("mathematics", "Mathematics", ("mathematics", "algebra", "geometry", "statistics")),
    Genre("technology", "Technology", ("computers", "programming", "technology", "engineering")),
    Genre("philosophy", "Philosophy", ("philosophy", "ethics")),
    Genre("religion", "Religion", ("religion", "christianity", "bible", "buddhism", "islam")),
    Genre("psychology", "Psychology", ("psychology",)),
    Genre("self-help", "Self-help", ("self-help", "self help", "personal development")),
    Genre("business", "Business & economics", ("business", "economics", "finance", "management")),
    Genre(
        "politics",
        "Politics & society",
        ("politics", "political science", "social science", "sociology"),
    ),
    Genre("travel", "Travel", ("travel", "voyages")),
    Genre("cooking", "Cooking", ("cooking", "cookery", "recipes")),
    Genre("art", "Art & music", ("art", "music", "painting", "photography")),
    Genre("health", "Health", ("health", "medicine", "fitness")),
    Genre("humor", "Humour", ("humor", "humour", "satire")),
    Genre("comics", "Comics", ("comics", "graphic novels")),
    Genre("fiction", "Fiction", ("fiction", "novel", "novels", "literature")),
)
GENRES_BY_ID = {genre.id: genre for genre in GENRES}


def genre_ids_for(subjects: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The curated genres that metadata subjects or categories name (in the list's order).

    Keywords match whole words, accents and case ignored, the longest first, and a matched
    phrase is used up: "Science fiction" is science-fiction (not science, not fiction);
    "Fiction / Fantasy / Epic" is fantasy and fiction; "Artificial intelligence" is not art.
    """
    texts = [" " + " ".join(re.findall(r"[a-z0-9-]+", fold(s))) + " " for s in subjects]
    keywords = sorted(
        ((k, g.id) for g in GENRES for k in g.keywords), key=lambda pair: -len(pair[0])
    )
    found: set[str] = set()
    for keyword, genre_id in keywords:
        for i, text in enumerate(texts):
            if f" {keyword} " in text:
                found.add(genre_id)
                texts[i] = text.replace(f" {keyword} ", " | ")
    return tuple(g.id for g in GENRES if g.id in found)


# --- reviews ----------------------------------------------------------------------------


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment, dropping tags, scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """``text`` with HTML tags (also entity-encoded ones) removed and entities decoded."""
    for _ in range(3):
        if "<" not in text and "&" not in text:
            break
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        stripped = "".join(parser.parts)
        if stripped == text:
            break
        text = stripped
    return text


def clean_review_text(text: str) -> str:
    """Review text as stored: HTML stripped, whitespace tidied, length checked.

    Raises:
        ValidationFailed: longer than MAX_REVIEW_LENGTH characters once cleaned.
    """
    lines = [" ".join(line.split()) for line in strip_html(text).splitlines()]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if len(cleaned) > MAX_REVIEW_LENGTH:
        raise ValidationFailed(f"a review must be at most {MAX_REVIEW_LENGTH} characters")
    return cleaned


def check_rating(rating: int) -> int:
    """Raises ValidationFailed unless ``rating`` is a whole number from 1 to 5."""
    if isinstance(rating, bool) or not isinstance(rating, int):
        raise ValidationFailed("rating must be a whole number from 1 to 5")
    if not MIN_RATING <= rating <= MAX_RATING:
        raise ValidationFailed("rating must be a whole number from 1 to 5")
    return rating


@dataclass(frozen=True, slots=True)
class Review:
    """One user's rating and review of one book; deleted reviews are kept, marked."""

    id: UUID
    user_id: UUID
    book_id: UUID
    rating: int
    text: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    flags: int = 0

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True, slots=True)
class ReviewFlag:
    """A user's report of a review for moderation."""

    review_id: UUID
    user_id: UUID
    reason: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class BookRating:
    """A book's rating aggregate over its live reviews."""

    book_id: UUID
    total_reviews: int = 0
    rating_sum: int = 0

    @property
    def average_rating(self) -> Decimal:
        """The mean rating, 2 decimals (0.00 without reviews)."""
        if not self.total_reviews:
            return Decimal("0.00")
        mean = Decimal(self.rating_sum) / Decimal(self.total_reviews)
        return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def score(self) -> float:
        """A confidence-aware rank: the Bayesian average towards PRIOR_MEAN."""
        return bayesian_score(self.rating_sum, self.total_reviews)


def bayesian_score(rating_sum: float, count: int) -> float:
    """(prior weight x prior mean + sum of ratings) / (prior weight + count)."""
    return (PRIOR_WEIGHT * PRIOR_MEAN + rating_sum) / (PRIOR_WEIGHT + count)


@dataclass(frozen=True, slots=True)
class Favorite:
    """A book a user keeps."""

    user_id: UUID
    book_id: UUID
    created_at: datetime


__all__ = [
    "GENRES",
    "GENRES_BY_ID",
    "BookRating",
    "Favorite",
    "Genre",
    "Profile",
    "Review",
    "ReviewFlag",
    "bayesian_score",
    "check_rating",
    "clean_review_text",
    "fold",
    "genre_ids_for",
    "strip_html",
]

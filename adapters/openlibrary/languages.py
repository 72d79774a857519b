"""MARC 21 language codes (Open Library's ``/languages/eng``) to ISO 639-1 (``en``).

MARC codes are mostly ISO 639-2/B; the 639-2/T spellings (``fra``, ``deu``, ``zho``...) are
accepted too. Languages without a two-letter code map to None.
"""

from __future__ import annotations

MARC_TO_ISO639_1: dict[str, str] = {
    "afr": "af", "alb": "sq", "amh": "am", "ara": "ar", "arm": "hy", "aze": "az",
    "baq": "eu", "bel": "be", "ben": "bn", "bos": "bs", "bre": "br", "bul": "bg",
    "bur": "my", "cat": "ca", "chi": "zh", "cze": "cs", "dan": "da", "dut": "nl",
    "eng": "en", "epo": "eo", "est": "et", "fao": "fo", "fin": "fi", "fre": "fr",
    "fry": "fy", "geo": "ka", "ger": "de", "gla": "gd", "gle": "ga", "glg": "gl",
    "gre": "el", "guj": "gu", "hat": "ht", "hau": "ha", "heb": "he", "hin": "hi",
    "hrv": "hr", "hun": "hu", "ibo": "ig", "ice": "is", "ind": "id", "ita": "it",
    "jav": "jv", "jpn": "ja", "kan": "kn", "kaz": "kk", "khm": "km", "kin": "rw",
    "kir": "ky", "kor": "ko", "kur": "ku", "lao": "lo", "lat": "la", "lav": "lv",
    "lit": "lt", "ltz": "lb", "mac": "mk", "mal": "ml", "mao": "mi", "mar": "mr",
    "may": "ms", "mlg": "mg", "mlt": "mt", "mon": "mn", "nep": "ne", "nno": "nn",
    "nob": "nb", "nor": "no", "oci": "oc", "ori": "or", "pan": "pa", "per": "fa",
    "pol": "pl", "por": "pt", "pus": "ps", "que": "qu", "roh": "rm", "rum": "ro",
    "rus": "ru", "san": "sa", "sin": "si", "slo": "sk", "slv": "sl", "smo": "sm",
    "sna": "sn", "snd": "sd", "som": "so", "sot": "st", "spa": "es", "srp": "sr",
    "swa": "sw", "swe": "sv", "tam": "ta", "tat": "tt", "tel": "te", "tgk": "tg",
    "tgl": "tl", "tha": "th", "tib": "bo", "tir": "ti", "tsn": "tn", "tuk": "tk",
    "tur": "tr", "uig": "ug", "ukr": "uk", "urd": "ur", "uzb": "uz", "vie": "vi",
    "wel": "cy", "wln": "wa", "wol": "wo", "xho": "xh", "yid": "yi", "yor": "yo",
    "zul": "zu",
    # ISO 639-2/T spellings of the B codes above, and obsolete MARC codes still in records.
    "sqi": "sq", "hye": "hy", "eus": "eu", "mya": "my", "zho": "zh", "ces": "cs",
    "nld": "nl", "fra": "fr", "kat": "ka", "deu": "de", "ell": "el", "isl": "is",
    "mkd": "mk", "mri": "mi", "msa": "ms", "fas": "fa", "ron": "ro", "slk": "sk",
    "bod": "bo", "cym": "cy", "scc": "sr", "scr": "hr", "tag": "tl", "esp": "eo",
}  # fmt: skip


def marc_to_iso639_1(code: str | None) -> str | None:
    """ISO 639-1 for a MARC language code or Open Library key (``/languages/eng``), or None."""
    if not code:
        return None
    return MARC_TO_ISO639_1.get(code.rsplit("/", 1)[-1].strip().lower())

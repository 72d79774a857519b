"""Language names and ISO 639-2 codes (terminology and bibliographic) by their ISO 639-1
code, the primary tag BCP-47 prefers. Tesseract names its models by ISO 639-2 codes too,
with a few of its own (historic variants, read as the modern language)."""

from __future__ import annotations

NAMES = {
    "english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it",
    "portuguese": "pt", "dutch": "nl", "latin": "la", "finnish": "fi", "swedish": "sv",
    "danish": "da", "norwegian": "no", "russian": "ru", "chinese": "zh", "japanese": "ja",
    "polish": "pl", "greek": "el", "esperanto": "eo", "hungarian": "hu", "czech": "cs",
}  # fmt: skip

ISO_639_2 = {
    "afr": "af", "amh": "am", "ara": "ar", "asm": "as", "aze": "az", "bel": "be", "ben": "bn",
    "bod": "bo", "tib": "bo", "bos": "bs", "bre": "br", "bul": "bg", "cat": "ca", "ces": "cs",
    "cze": "cs", "zho": "zh", "chi": "zh", "cos": "co", "cym": "cy", "wel": "cy", "dan": "da",
    "deu": "de", "ger": "de", "div": "dv", "dzo": "dz", "ell": "el", "gre": "el", "eng": "en",
    "epo": "eo", "est": "et", "eus": "eu", "baq": "eu", "fao": "fo", "fas": "fa", "per": "fa",
    "fin": "fi", "fra": "fr", "fre": "fr", "fry": "fy", "gla": "gd", "gle": "ga", "glg": "gl",
    "guj": "gu", "hat": "ht", "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu", "hye": "hy",
    "arm": "hy", "iku": "iu", "ind": "id", "isl": "is", "ice": "is", "ita": "it", "jav": "jv",
    "jpn": "ja", "kan": "kn", "kat": "ka", "geo": "ka", "kaz": "kk", "khm": "km", "kir": "ky",
    "kmr": "ku", "kur": "ku", "kor": "ko", "lao": "lo", "lat": "la", "lav": "lv", "lit": "lt",
    "ltz": "lb", "mal": "ml", "mar": "mr", "mkd": "mk", "mac": "mk", "mlt": "mt", "mon": "mn",
    "mri": "mi", "mao": "mi", "msa": "ms", "may": "ms", "mya": "my", "bur": "my", "nep": "ne",
    "nld": "nl", "dut": "nl", "nor": "no", "nob": "nb", "nno": "nn", "oci": "oc", "ori": "or",
    "pan": "pa", "pol": "pl", "por": "pt", "pus": "ps", "que": "qu", "ron": "ro", "rum": "ro",
    "rus": "ru", "san": "sa", "sin": "si", "slk": "sk", "slo": "sk", "slv": "sl", "snd": "sd",
    "spa": "es", "sqi": "sq", "alb": "sq", "srp": "sr", "sun": "su", "swa": "sw", "swe": "sv",
    "tam": "ta", "tat": "tt", "tel": "te", "tgk": "tg", "tgl": "tl", "tha": "th", "tir": "ti",
    "ton": "to", "tur": "tr", "uig": "ug", "ukr": "uk", "urd": "ur", "uzb": "uz", "vie": "vi",
    "yid": "yi", "yor": "yo",
    # Tesseract's historic models: Middle English, German Fraktur, Middle French.
    "enm": "en", "frk": "de", "frm": "fr",
}  # fmt: skip

__all__ = ["ISO_639_2", "NAMES"]

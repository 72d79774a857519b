"""Whole-book audio files: M4B (AAC in MP4 with chapters) and MP3 (ID3 CHAP/CTOC), made
from a rendition's chapter MP3s in child processes."""

"""Book file readers: pure functions that find a book's chapters in EPUB, PDF and TXT
files, and the BookReader adapters that run them in child processes."""

"""The YouTube companion: slides, the slideshow video and its YouTube metadata."""

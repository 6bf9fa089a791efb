"""Speech: engines behind one registry, a content cache, and the speak stage."""

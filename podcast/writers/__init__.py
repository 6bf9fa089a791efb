"""Script writers: the offline reading writer and the LLM commentary writer."""

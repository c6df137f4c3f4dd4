"""The blank-English spaCy pipeline shared by ingestion and (optionally) Rasa's SpacyNLP."""

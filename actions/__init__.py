"""Rasa custom actions: thin adapters from the tracker to ``bot.kb.service``."""

"""Rasa's stores, where ours differ: :mod:`bot.stores.lock_store` (named by its module path in
endpoints.scale.yml)."""

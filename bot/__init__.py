"""Career-guidance chatbot: knowledge base, ingestion, channels and web page.

Nothing in this package imports ``rasa_sdk``; the Rasa actions in ``actions/`` call into it.
"""

"""The log of questions the bot could not answer: what editors should write about next."""

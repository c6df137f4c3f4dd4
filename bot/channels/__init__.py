"""Our Rasa channel classes, named by their module path in credentials.yml.

* :mod:`bot.channels.socketio`: socket.io for the web widget (persistent sessions that work on
  Rasa 3.6 with python-socketio 5.18, an origin allow-list) and the chat page it serves
  (:mod:`bot.channels.webpage`);
* :mod:`bot.channels.slack`: Slack configured from the environment, one answer per event;
* :mod:`bot.channels.markup`: the text converters they use (Markdown -> Slack mrkdwn, links).

Nothing here imports a channel at package import time: Rasa imports the class it is told to.
"""

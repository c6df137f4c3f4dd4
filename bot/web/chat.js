// Starts the standard Rasa widget (rasa-webchat) against this server's socket.io channel.
(function () {
  'use strict';
  var container = document.getElementById('webchat');
  if (!window.WebChat) {
    container.textContent = 'The chat widget is not installed on this server (run make setup).';
    return;
  }
  window.WebChat.default({
    socketUrl: window.location.origin,
    socketPath: '/socket.io/',
    customData: { language: 'en' },
    initPayload: 'hi',  // plain text: the bot reads no /intent syntax from users
    title: 'Career guide',
    subtitle: 'Operations vs Production Management',
    inputTextFieldHint: 'Ask about OM or PM...',
    embedded: true,
    showFullScreenButton: false,
    showMessageDate: false,
    params: { storage: 'local' },
    // The widget waits 0.4-3 s per message to mimic typing; answers should just appear.
    customMessageDelay: function () { return 100; }
  }, container);
})();

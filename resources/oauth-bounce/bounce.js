// VitalSync's https bounce page. Some providers (Withings) accept only https redirect URIs,
// which a desktop app cannot serve; this static page receives the provider's answer and hands
// `code` and `state` (or `error`) to the app: to vitalsync://oauth/<provider>, or, when the
// state names a port, to VitalSync's one-shot listener on http://127.0.0.1:<port>. It sends
// nothing anywhere else, stores nothing and loads nothing.
(function () {
  'use strict';
  var params = new URLSearchParams(window.location.search);
  var state = params.get('state') || '';
  // state = <provider>.<random>[.<port>], written by VitalSync when it started the sign-in.
  var m = /^([a-z]{2,20})\.([A-Za-z0-9_-]{16,128})(?:\.(\d{1,5}))?$/.exec(state);
  var status = document.getElementById('status');
  if (!m || (!params.get('code') && !params.get('error'))) {
    status.textContent = 'This page only returns a sign-in answer to VitalSync, and this address does not hold one.';
    return;
  }
  var port = m[3] ? Number(m[3]) : 0;
  if (m[3] && (port < 1 || port > 65535)) {
    status.textContent = 'The sign-in answer names an impossible port.';
    return;
  }
  var target = port ? 'http://127.0.0.1:' + port + '/oauth/' + m[1] + '/callback' : 'vitalsync://oauth/' + m[1];
  var out = new URLSearchParams();
  ['code', 'state', 'error', 'error_description'].forEach(function (k) {
    var v = params.get(k);
    if (v !== null) out.set(k, v);
  });
  var url = target + '?' + out.toString();
  document.getElementById('manual').href = url;
  window.location.replace(url);
})();

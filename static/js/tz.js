// The browser's time zone, for a visitor who has not chosen one: times are shown in it from
// the next page on. Without JavaScript the console shows UTC (or the zone set in Settings).
(function () {
  if (/(^|;\s*)tz=/.test(document.cookie)) return;
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
  if (/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) {
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
  }
})();

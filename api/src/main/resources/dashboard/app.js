// livemetrics dashboard: a static page over the /v1 API of `livemetrics serve`.
// Every number shown comes from an API answer (the query layer); this script only formats and draws.
// No inline script or style (the server's Content-Security-Policy forbids them); the bearer token
// lives in sessionStorage and travels only in the Authorization header, never in a URL.
'use strict';
(function () {
  const TOKEN_KEY = 'livemetrics.token';
  const ACCOUNT_KEY = 'livemetrics.account';
  const REFRESH_MS = 5000;          // live pages poll the API this often
  const LIVE_WINDOW_MS = 3 * 60000; // newest minute at most this old: the stream is live
  const MINUTE_MS = 60000;
  const MAX_VIDEOS_PER_REQUEST = 100; // the API's default --max-videos
  const BLUE = '#1d4ed8';
  const TEAL = '#0f766e';

  const $ = (id) => document.getElementById(id);
  const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const percent = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });

  // Exposed for the browser tests and the benchmark: the charts' data and when the page was ready.
  const exposed = { charts: {}, readyAt: null, refreshes: 0 };
  window.livemetricsDashboard = exposed;

  let session = { token: sessionStorage.getItem(TOKEN_KEY), account: sessionStorage.getItem(ACCOUNT_KEY) };
  let timers = [];
  let generation = 0; // bumped on every route change: answers of a left page are dropped

  // ---------------------------------------------------------------------------------------------
  // Formatting

  function fmtInt(v) { return v == null ? '–' : intFormat.format(v); }
  function fmtMinute(ms) { return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'; }
  function fmtMs(v) { return v == null ? '–' : intFormat.format(v) + ' ms'; }
  function fmtRatio(v) { return v == null ? '–' : percent.format(v); }
  function fmtDuration(seconds) {
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return h > 0 ? intFormat.format(h) + ' h ' + m + ' min' : m > 0 ? m + ' min ' + (s % 60) + ' s' : s + ' s';
  }
  function fmtAge(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    return s < 120 ? s + ' s ago' : s < 7200 ? Math.round(s / 60) + ' min ago' : fmtDuration(s) + ' ago';
  }
  // <input type=datetime-local> values are read and written as UTC.
  function toInput(ms) { return new Date(ms).toISOString().slice(0, 16); }
  function fromInput(v) { return v ? Date.parse(v + ':00Z') : NaN; }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function row(cells) {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const td = el('td', null, c.num ? 'num' : null);
      if (c.node) td.appendChild(c.node); else td.textContent = c.text;
      tr.appendChild(td);
    }
    return tr;
  }
  function fillBody(table, rows) {
    const body = table.tBodies[0];
    body.replaceChildren(...rows);
  }

  // ---------------------------------------------------------------------------------------------
  // The API

  class AuthError extends Error {}
  class ApiFailure extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path) {
    const res = await fetch(path, {
      headers: { Authorization: 'Bearer ' + session.token, Accept: 'application/json' },
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer'
    });
    if (res.status === 401) throw new AuthError('refused');
    if (!res.ok) throw new ApiFailure(res.status, await errorMessage(res));
    return res.json();
  }
  async function errorMessage(res) {
    try { return (await res.json()).error.message; } catch (e) { return res.status + ' ' + res.statusText; }
  }
  function q(params) {
    return Object.entries(params).filter(([, v]) => v != null)
      .map(([k, v]) => k + '=' + encodeURIComponent(v).replace(/%2C/g, ',').replace(/%3D/g, '=').replace(/%3B/g, ';'))
      .join('&');
  }
  function accountPath(endpoint) { return '/v1/' + endpoint + '/accounts/' + encodeURIComponent(session.account); }
  function where(video, more) { return 'video==' + video + (more ? ';' + more : ''); }

  // ---------------------------------------------------------------------------------------------
  // Sign-in

  function saveSession(token, account) {
    session = { token, account };
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(ACCOUNT_KEY, account);
  }
  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ACCOUNT_KEY);
    session = { token: null, account: null };
    clearTimers();
    generation++;
    // Not location.hash: that would route again and clear the message.
    history.replaceState(null, '', location.pathname + '#/sign-in');
    showSignIn(message || '');
  }

  /** Checks a token with /v1/accounts and picks the account; resolves to an error message or null. */
  async function signIn(token, account) {
    token = (token || '').trim();
    account = (account || '').trim();
    if (!token) return 'Type or paste your access token.';
    session = { token, account: null };
    let grant;
    try {
      grant = await api('/v1/accounts');
    } catch (e) {
      if (e instanceof AuthError) {
        return 'This token was not accepted: it is wrong, or it has expired or been revoked. '
          + 'Check that you copied all of it, or ask your administrator for a new one.';
      }
      return 'The server could not check the token (' + e.message + '). Try again in a moment.';
    }
    if (!account) {
      if (grant.all_accounts || grant.accounts.length !== 1) {
        return grant.all_accounts
          ? 'This token may read every account: type the account to show.'
          : 'This token may read the accounts ' + grant.accounts.join(', ') + ': type the one to show.';
      }
      account = grant.accounts[0];
    } else if (!grant.all_accounts && !grant.accounts.includes(account)) {
      return 'This token may not read account ' + account + '; it may read '
        + grant.accounts.join(', ') + '.';
    }
    saveSession(token, account);
    return null;
  }

  function showSignIn(message) {
    show('sign-in');
    $('who').textContent = '';
    $('sign-out').hidden = true;
    $('sign-in-error').textContent = message || '';
    $('token-input').value = '';
    $('token-input').focus();
  }

  $('sign-in-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = ev.target.querySelector('button');
    button.disabled = true;
    $('sign-in-error').textContent = '';
    const failure = await signIn($('token-input').value, $('account-input').value);
    button.disabled = false;
    if (failure) {
      session = { token: null, account: null };
      $('sign-in-error').textContent = failure;
      $('token-input').value = '';
      $('token-input').focus();
      return;
    }
    // Where the user was going (a bookmarked video), else the videos; route() also when the
    // address does not change, since no hashchange would fire then.
    const target = /^#\/(videos|video\/)/.test(location.hash) ? location.hash : '#/videos';
    if (location.hash === target) route(); else location.hash = target;
  });
  $('sign-out').addEventListener('click', () => signOut('You are signed out.'));

  // ---------------------------------------------------------------------------------------------
  // Routing: #/videos?hours=6 | #/videos?from=…&to=… | #/video/<id>?from=…&to=…

  function show(section) {
    for (const id of ['loading', 'sign-in', 'videos', 'video', 'failure']) $(id).hidden = id !== section;
  }
  function parseHash() {
    const h = location.hash.replace(/^#/, '');
    const [path, query] = h.split('?');
    return { path, params: new URLSearchParams(query || '') };
  }
  function clearTimers() { timers.forEach(clearTimeout); timers.forEach(clearInterval); timers = []; }

  async function route() {
    clearTimers();
    const gen = ++generation;
    // A token in the fragment (from `livemetrics demo`, or a link): taken into sessionStorage and
    // removed from the address bar and history at once. The fragment never reaches the server.
    const frag = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (frag.has('token')) {
      const token = frag.get('token'), account = frag.get('account');
      history.replaceState(null, '', location.pathname + '#/videos');
      show('loading');
      const failure = await signIn(token, account);
      if (failure) { session = { token: null, account: null }; showSignIn(failure); return; }
    }
    if (!session.token || !session.account) { showSignIn(''); return; }
    $('who').textContent = 'Account ' + session.account;
    $('sign-out').hidden = false;
    const { path, params } = parseHash();
    try {
      if (path.startsWith('/video/')) {
        await showVideo(decodeURIComponent(path.slice('/video/'.length)), params, gen);
      } else {
        await showVideos(params, gen);
      }
    } catch (e) {
      if (gen !== generation) return;
      if (e instanceof AuthError) {
        signOut('Your token is no longer accepted (it has expired or been revoked). Sign in again with a valid token.');
      } else {
        show('failure');
        $('failure-message').textContent = e.status === 403
          ? 'This token may not read account ' + session.account + '. Sign out and sign in with a token for it.'
          : e.message;
      }
    }
  }
  window.addEventListener('hashchange', route);

  // ---------------------------------------------------------------------------------------------
  // Videos of a time range

  function videosRange(params) {
    const now = Date.now();
    const from = Number(params.get('from')), to = Number(params.get('to'));
    if (params.has('from') && params.has('to') && to > from) return { from, to, custom: true };
    const hours = Number(params.get('hours')) || 6;
    return { from: now - hours * 3600000, to: now, hours, custom: false };
  }

  $('range-hours').addEventListener('change', () => {
    const custom = $('range-hours').value === 'custom';
    $('custom-range').hidden = !custom;
    if (custom && !$('range-from').value) {
      const now = Date.now();
      $('range-from').value = toInput(now - 24 * 3600000);
      $('range-to').value = toInput(now);
    }
  });
  $('range-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = $('range-hours').value;
    if (v === 'custom') {
      const from = fromInput($('range-from').value), to = fromInput($('range-to').value);
      if (!(to > from)) {
        $('videos-status').textContent = 'Pick a "from" time before the "to" time.';
        return;
      }
      location.hash = '#/videos?from=' + from + '&to=' + to;
    } else {
      location.hash = '#/videos?hours=' + v;
    }
  });

  async function showVideos(params, gen) {
    const range = videosRange(params);
    show('videos');
    $('videos-title').focus({ preventScroll: true });
    if (range.custom) {
      $('range-hours').value = 'custom';
      $('custom-range').hidden = false;
      $('range-from').value = toInput(range.from);
      $('range-to').value = toInput(range.to);
    } else {
      const option = [...$('range-hours').options].find((o) => o.value === String(range.hours));
      $('range-hours').value = option ? option.value : '6';
      $('custom-range').hidden = true;
    }
    const described = fmtMinute(range.from) + ' to ' + fmtMinute(range.to);
    $('videos-status').textContent = 'Loading the videos of ' + described + '…';
    const listing = await api(accountPath('videos') + '?' + q({ from: Math.floor(range.from), to: Math.floor(range.to) }));
    if (gen !== generation) return;
    const videos = listing.data;
    if (videos.length === 0) {
      $('videos-table').hidden = true;
      $('videos-status').textContent = '';
      const empty = $('videos-empty');
      empty.hidden = false;
      empty.replaceChildren(
        el('p', 'No video of account ' + session.account + ' had viewers from ' + described + '.'),
        el('p', 'Pick a longer or an earlier range above ("a past range…" for any dates). If you expected live '
          + 'viewers, check that the streaming job is running and writes to the store this server reads.'));
      exposed.readyAt = performance.now();
      return;
    }
    $('videos-empty').hidden = true;
    const peak = new Map(), totals = new Map();
    for (let i = 0; i < videos.length; i += MAX_VIDEOS_PER_REQUEST) {
      const ids = videos.slice(i, i + MAX_VIDEOS_PER_REQUEST).map((v) => v.video).join(',');
      const base = { dimensions: 'video', where: 'video==' + ids, from: listing.from, to: listing.to };
      const [ts, ev] = await Promise.all([
        api(accountPath('timeseries') + '?' + q({ ...base, metrics: 'ccu', bucket_limit: 1 })),
        api(accountPath('events') + '?' + q({ ...base, metrics: 'video_view,fingerprint_count' }))]);
      for (const s of ts.ccu.data) peak.set(s.dimensions.video, s.points.length ? s.points[0].value : 0);
      for (const d of ev.data) totals.set(d.dimensions.video, d.totals);
    }
    if (gen !== generation) return;
    videos.sort((a, b) => (peak.get(b.video) || 0) - (peak.get(a.video) || 0) || a.video.localeCompare(b.video));
    fillBody($('videos-table'), videos.map((v) => {
      const link = el('a', v.video);
      link.href = '#/video/' + encodeURIComponent(v.video) + '?from=' + v.first_minute + '&to=' + v.last_minute;
      const t = totals.get(v.video) || {};
      return row([{ node: link }, { text: fmtInt(peak.get(v.video)), num: true },
        { text: fmtInt(t.video_view), num: true }, { text: fmtInt(t.fingerprint_count), num: true },
        { text: fmtMinute(v.first_minute) }, { text: fmtMinute(v.last_minute) }]);
    }));
    $('videos-caption').textContent = videos.length + (videos.length === 1 ? ' video' : ' videos')
      + ' with viewers from ' + described + ', by peak concurrent viewers';
    $('videos-table').hidden = false;
    $('videos-status').textContent = '';
    exposed.readyAt = performance.now();
  }

  // ---------------------------------------------------------------------------------------------
  // A video's page

  async function showVideo(video, params, gen) {
    show('video');
    $('video-title').textContent = 'Video ' + video;
    $('video-title').tabIndex = -1;
    $('video-title').focus({ preventScroll: true });
    const now = Date.now();
    let from = Number(params.get('from')), to = Number(params.get('to'));
    if (!(from > 0)) from = now - 24 * 3600000;
    if (!(to > 0)) to = now;
    // A stream whose last minute is recent may still be live: ask up to now, then keep asking.
    const mayBeLive = to >= now - LIVE_WINDOW_MS - MINUTE_MS;
    const state = { video, from, to, mayBeLive, newest: null };
    $('download').onclick = () => download(state);
    $('download-status').textContent = '';
    await loadVideo(state, gen, true);
  }

  async function loadVideo(state, gen, first) {
    if (state.mayBeLive) state.to = Date.now();
    const base = { from: state.from, to: state.to };
    const v = state.video;
    const ccuPath = accountPath('timeseries') + '?' + q({ dimensions: 'video', metrics: 'ccu', where: where(v), ...base, bucket_duration: '1m' });
    const totalsPath = accountPath('events') + '?' + q({ dimensions: 'video', metrics: 'video_view,video_impression,video_seconds_viewed,alive_ss_ad_start', where: where(v), ...base });
    // One bucket over the range: ccu is its peak minute, video_view its sum (the views).
    const by = (dim) => accountPath('timeseries') + '?' + q({ dimensions: 'video,' + dim, metrics: 'ccu,video_view', where: where(v), ...base, bucket_limit: 1 });
    const qosPath = accountPath('events') + '?' + q({ dimensions: 'video,client_platform', metrics: 'startup_time_ms_p50,startup_time_ms_p95,buffer_ratio,live_latency_ms_p50,live_latency_ms_p95,error_count,exits_before_video_start_percentage,playback_failure_percentage,rebuffer_percentage', where: where(v), ...base });
    const broadcast = broadcastAnswers(state); // at the same time as the rest
    broadcast.catch(() => {}); // awaited below; not an unhandled rejection if the rest fails first
    const [ccu, totals, devices, countries, qos] = await Promise.all([
      api(ccuPath), api(totalsPath), api(by('device_type')), api(by('country')), api(qosPath)]);
    if (gen !== generation) return;

    const points = ccu.ccu.data.length ? ccu.ccu.data[0].points : [];
    const empty = points.length === 0;
    $('video-empty').hidden = !empty;
    if (empty) {
      $('video-empty').replaceChildren(
        el('p', 'No viewers of video ' + v + ' from ' + fmtMinute(state.from) + ' to ' + fmtMinute(state.to) + '.'),
        el('p', 'Check the video id, or go back to the videos and pick the range it was live in.'));
    }
    state.newest = empty ? null : points[points.length - 1].timestamp;
    state.live = state.newest != null && Date.now() - state.newest <= LIVE_WINDOW_MS;
    $('video-range').textContent = 'From ' + fmtMinute(state.from) + ' to ' + (state.mayBeLive ? 'now' : fmtMinute(state.to));
    showFreshness(state);

    drawCcu(points);
    const t = totals.data.length ? totals.data[0].totals : {};
    $('tile-views').textContent = fmtInt(t.video_view);
    $('tile-impressions').textContent = fmtInt(t.video_impression);
    $('tile-seconds').textContent = fmtInt(t.video_seconds_viewed);
    $('tile-seconds-note').textContent = t.video_seconds_viewed != null ? fmtDuration(t.video_seconds_viewed) + ' watched' : '';
    $('tile-ads').textContent = fmtInt(t.alive_ss_ad_start);
    drawBreakdown('device', 'device_type', devices);
    drawBreakdown('country', 'country', countries);
    drawQos(qos);
    drawBroadcast(await broadcast);
    if (gen !== generation) return;

    exposed.refreshes++;
    if (first) exposed.readyAt = performance.now();
    if (state.live) {
      timers.push(setTimeout(() => loadVideo(state, gen, false).catch(handleRefreshError(gen)), REFRESH_MS));
      if (first) timers.push(setInterval(() => showFreshness(state), 1000));
    } else if (state.mayBeLive && first) {
      // Not live now, but recent: check again in a while (a stream may start again).
      timers.push(setTimeout(() => loadVideo(state, gen, false).catch(handleRefreshError(gen)), 6 * REFRESH_MS));
    }
  }

  function handleRefreshError(gen) {
    return (e) => {
      if (gen !== generation) return;
      if (e instanceof AuthError) {
        signOut('Your token is no longer accepted (it has expired or been revoked). Sign in again with a valid token.');
      } else {
        $('freshness').textContent = 'Could not refresh (' + e.message + '); the numbers shown may be out of date.';
      }
    };
  }

  function showFreshness(state) {
    const badge = $('live-badge');
    if (state.newest == null) {
      badge.textContent = 'NO DATA'; badge.className = 'badge ended';
      $('freshness').textContent = '';
      return;
    }
    const live = Date.now() - state.newest <= LIVE_WINDOW_MS && state.live;
    badge.textContent = live ? '● LIVE' : 'NOT LIVE';
    badge.className = 'badge ' + (live ? 'live' : 'ended');
    $('freshness').textContent = 'Newest minute ' + fmtMinute(state.newest)
      + (live ? ', ' + fmtAge(Date.now() - state.newest) + '; updates every ' + REFRESH_MS / 1000 + ' s' : '');
  }

  // ---------------------------------------------------------------------------------------------
  // Charts (uPlot, vendored from npm into the jar)

  const AXIS = { stroke: '#1a1a1a', grid: { stroke: '#e5e7eb', width: 1 }, ticks: { stroke: '#d0d4da', width: 1 } };
  // Counts: whole-number ticks only (uPlot's defaults include 2.5, shown rounded as 3).
  const COUNT_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2.5e3, 5e3, 1e4, 2e4,
    2.5e4, 5e4, 1e5, 2e5, 2.5e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8];
  // 24-hour UTC labels; the date under the first tick of each day.
  function timeTicks(u, splits) {
    return splits.map((s, i) => {
      const iso = new Date(s * 1000).toISOString();
      const day = iso.slice(0, 10);
      const previous = i > 0 ? new Date(splits[i - 1] * 1000).toISOString().slice(0, 10) : null;
      return iso.slice(11, 16) + (day !== previous ? '\n' + day : '');
    });
  }

  function chartWidth(container) { return Math.max(280, container.clientWidth || 600); }

  function drawCcu(points) {
    const xs = points.map((p) => p.timestamp / 1000), ys = points.map((p) => p.value);
    const container = $('ccu-chart');
    const existing = exposed.charts.ccu;
    if (existing && existing.width === chartWidth(container)) {
      existing.setData([xs, ys]);
    } else {
      if (existing) existing.destroy();
      container.replaceChildren();
      exposed.charts.ccu = new uPlot({
        width: chartWidth(container), height: 300,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [{ ...AXIS, label: 'Time (UTC)', values: timeTicks, space: 60 },
          { ...AXIS, label: 'Concurrent viewers', size: 70, incrs: COUNT_INCRS, values: (u, vals) => vals.map(fmtInt) }],
        series: [{ label: 'Minute (UTC)', value: (u, x) => x == null ? '–' : fmtMinute(x * 1000) },
          { label: 'Concurrent viewers', stroke: BLUE, width: 2, fill: 'rgba(29, 78, 216, 0.08)',
            points: { show: points.length < 60 }, value: (u, y) => fmtInt(y) }]
      }, [xs, ys], container);
    }
    fillBody($('ccu-table'), points.map((p) => row([{ text: fmtMinute(p.timestamp) }, { text: fmtInt(p.value), num: true }])));
  }

  function barChart(key, container, labels, values, label, color) {
    if (exposed.charts[key]) exposed.charts[key].destroy();
    container.replaceChildren();
    if (labels.length === 0) {
      container.appendChild(el('p', 'No data.', 'muted'));
      delete exposed.charts[key];
      return;
    }
    const xs = labels.map((_, i) => i);
    exposed.charts[key] = new uPlot({
      width: chartWidth(container), height: 200,
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] },
        y: { range: (u, min, max) => [0, max > 0 ? max * 1.15 : 1] } },
      axes: [{ ...AXIS, grid: { show: false }, splits: () => xs, values: (u, splits) => splits.map((i) => labels[i] ?? '') },
        { ...AXIS, size: 60, incrs: COUNT_INCRS, values: (u, vals) => vals.map(fmtInt) }],
      legend: { show: false }, // the numbers are in the table below the charts
      cursor: { points: { show: false } },
      series: [{ label: 'Category', value: (u, i) => i == null ? '–' : labels[i] ?? '–' },
        { label, fill: color, stroke: color, width: 0, paths: uPlot.paths.bars({ size: [0.6, 60] }),
          points: { show: false }, value: (u, y) => fmtInt(y) }]
    }, [xs, values], container);
    exposed.charts[key].labels = labels;
  }

  /** Peak concurrent viewers and views by a dimension, from a one-bucket timeseries. */
  function drawBreakdown(prefix, dimension, answer) {
    const byValue = new Map();
    const entry = (k) => byValue.get(k) || byValue.set(k, { key: k, peak: null, views: null }).get(k);
    for (const s of answer.ccu.data) entry(s.dimensions[dimension]).peak = s.points.length ? s.points[0].value : 0;
    for (const s of answer.video_view.data) entry(s.dimensions[dimension]).views = s.points.length ? s.points[0].value : 0;
    const entries = [...byValue.values()].sort((a, b) => (b.views || 0) - (a.views || 0) || (b.peak || 0) - (a.peak || 0) || a.key.localeCompare(b.key));
    const top = entries.slice(0, 12); // the table below lists every one
    barChart(prefix + 'Ccu', $(prefix + '-ccu-chart'), top.map((e) => e.key), top.map((e) => e.peak), 'Peak concurrent viewers', BLUE);
    barChart(prefix + 'Views', $(prefix + '-views-chart'), top.map((e) => e.key), top.map((e) => e.views), 'Views', TEAL);
    fillBody($(prefix + '-table'), entries.map((e) => row([{ text: e.key }, { text: fmtInt(e.peak), num: true }, { text: fmtInt(e.views), num: true }])));
    if (entries.length > top.length) {
      $(prefix + '-table').tBodies[0].appendChild(row([{ text: 'The charts show the first ' + top.length + ' of ' + entries.length + ' by views.' }, { text: '' }, { text: '' }]));
    }
  }

  function drawQos(answer) {
    const rows = answer.data.map((d) => {
      const t = d.totals;
      return row([{ text: d.dimensions.client_platform }, { text: fmtMs(t.startup_time_ms_p50), num: true },
        { text: fmtMs(t.startup_time_ms_p95), num: true }, { text: fmtRatio(t.buffer_ratio), num: true },
        { text: fmtMs(t.live_latency_ms_p50), num: true }, { text: fmtMs(t.live_latency_ms_p95), num: true },
        { text: fmtInt(t.error_count), num: true },
        { text: fmtRatio(t.exits_before_video_start_percentage), num: true },
        { text: fmtRatio(t.playback_failure_percentage), num: true },
        { text: fmtRatio(t.rebuffer_percentage), num: true }]);
    });
    fillBody($('qos-table'), rows);
    $('qos-table').hidden = rows.length === 0;
    $('qos-empty').hidden = rows.length !== 0;
    $('qos-empty').textContent = 'No quality-of-service data for this video in this range (players send it in PLAYBACK_SUMMARY and PLAY events).';
  }

  /**
   * The IVS channels with broadcast minutes in the range (starvation episodes) and which were live
   * in its newest minute. A store without broadcast tables answers 500: shown as no data.
   */
  async function broadcastAnswers(state) {
    const base = { dimensions: 'region,channel', from: state.from, to: state.to };
    const newestMinute = Math.floor(state.to / MINUTE_MS) * MINUTE_MS;
    try {
      return await Promise.all([
        api(accountPath('events') + '?' + q({ ...base, metrics: 'starvation_count,starvation_seconds' })),
        api(accountPath('timeseries') + '?' + q({ ...base, from: newestMinute, metrics: 'channel_concurrency', bucket_limit: 1 }))]);
    } catch (e) {
      if (e instanceof AuthError) throw e;
      return [{ data: [] }, null];
    }
  }

  function drawBroadcast([episodes, now]) {
    const live = new Map();
    if (now) for (const s of now.channel_concurrency.data) live.set(s.dimensions.channel, s.points.some((p) => p.value > 0));
    const rows = episodes.data.map((d) => row([{ text: d.dimensions.region }, { text: d.dimensions.channel },
      { text: live.get(d.dimensions.channel) ? 'live' : 'not live' },
      { text: fmtInt(d.totals.starvation_count), num: true },
      { text: d.totals.starvation_seconds == null ? '–' : oneDecimal.format(d.totals.starvation_seconds), num: true }]));
    fillBody($('broadcast-table'), rows);
    $('broadcast-table').hidden = rows.length === 0;
    $('broadcast-empty').hidden = rows.length !== 0;
    $('broadcast-empty').textContent = 'No broadcast data for this time range (the store has no IVS events then: '
      + 'the streaming job reads them with --broadcastKinesisStream, the backfill with --broadcastArchive).';
  }

  // ---------------------------------------------------------------------------------------------
  // The XLSX report: fetched with the Authorization header, saved from a blob (no token in a URL).

  async function download(state) {
    const status = $('download-status');
    const button = $('download');
    button.disabled = true;
    status.textContent = 'Preparing the report…';
    try {
      const range = { from: state.from, to: state.to }; // what the page shows
      const res = await fetch(accountPath('events') + '/videos/' + encodeURIComponent(state.video) + '/export?' + q({ format: 'xlsx', ...range }), {
        headers: { Authorization: 'Bearer ' + session.token }, cache: 'no-store', credentials: 'omit'
      });
      if (res.status === 401) { signOut('Your token is no longer accepted. Sign in again with a valid token.'); return; }
      if (!res.ok) throw new Error(await errorMessage(res));
      const blob = await res.blob();
      const name = (/filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '') || [])[1] || 'report.xlsx';
      const url = URL.createObjectURL(blob);
      const a = el('a');
      a.href = url; a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      status.textContent = 'Downloaded ' + name + ' (' + intFormat.format(blob.size) + ' bytes).';
    } catch (e) {
      status.textContent = 'The report could not be made: ' + e.message;
    } finally {
      button.disabled = false;
    }
  }

  route();
})();

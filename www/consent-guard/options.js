// The options page: edits settings.js's settings.
import { readSettings, writeSettings } from './settings.js';

const $ = (id) => document.getElementById(id);

async function load() {
  const s = await readSettings();
  $('trusted').value = s.trustedAuthorityHosts.join('\n');
  $('loopback').checked = s.allowHttpLoopbackAuthority;
  $('status').dataset.status = 'ready';
}

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  await writeSettings({
    trustedAuthorityHosts: $('trusted').value.split('\n'),
    allowHttpLoopbackAuthority: $('loopback').checked,
  });
  await load();
  $('status').dataset.status = 'saved';
  $('status').textContent = 'Saved.';
});

load();

// Browser UI for the inventory API. Plain JavaScript, served by the app itself (no CDN, no build step).
'use strict';

const $ = (selector, root = document) => root.querySelector(selector);
const itemsList = $('#items');
const template = $('#item-template');
const message = $('#message');
const itemForm = $('#item-form');
const searchForm = $('#search-form');
const PAGE_SIZE = 50;
let limits = { maxUploadBytes: Infinity, allowedTypes: [], imageField: 'image_file' };

/** What the list shows: the search, and the cursor of each page reached so far (the first page has none). */
const view = { q: '', cursors: [null], page: 0 };
/** Uploads by item id, kept apart from the rows so a re-render (another save, a page change) never loses one. */
const uploads = new Map();

function showMessage(text, kind = 'ok') {
  message.textContent = text;
  message.className = kind;
}

function formatBytes(bytes) {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let unit = 0;
  while (bytes >= 1024 ** (unit + 1) && unit < units.length - 1) unit += 1;
  const value = bytes / 1024 ** unit;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

async function api(path, options = {}) {
  const res = await fetch(path, options);
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.message || `${res.status} ${res.statusText}`);
  return body;
}

/** Visible text, plus words only assistive technology reads ("Delete" + " Spoon"), so every button names its item. */
function label(button, visible, hidden) {
  const extra = document.createElement('span');
  extra.className = 'visually-hidden';
  extra.textContent = ` ${hidden}`;
  button.replaceChildren(visible, extra);
}

function renderItems(page) {
  itemsList.replaceChildren(...page.items.map(renderItem));
  $('#empty').hidden = page.items.length > 0;
  const first = view.page * PAGE_SIZE + 1;
  $('#page-info').textContent = page.total === 0 ? '' : `Items ${first} to ${first + page.items.length - 1} of ${page.total}`;
  $('#previous-page').disabled = view.page === 0;
  $('#next-page').disabled = !page.next_cursor;
  view.cursors[view.page + 1] = page.next_cursor;
}

function renderItem(item) {
  const node = template.content.firstElementChild.cloneNode(true);
  node.dataset.id = item.id;
  $('.name', node).textContent = item.name;
  $('.id', node).textContent = `#${item.id}`;
  $('.description', node).textContent = item.description;
  $('.quantity', node).textContent = item.quantity;
  renderThumb(item, $('.thumb', node));
  label($('.choose', node), 'Upload image', `for ${item.name}`);
  label($('.cancel', node), 'Cancel upload', `for ${item.name}`);
  label($('.retry', node), 'Retry upload', `for ${item.name}`);
  label($('.edit', node), 'Edit', item.name);
  label($('.delete', node), 'Delete', item.name);
  $('progress', node).setAttribute('aria-label', `Upload progress for ${item.name}`);

  const fileInput = $('.file-input', node);
  $('.choose', node).addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    const file = fileInput.files[0];
    fileInput.value = '';
    if (file) uploadImage(item, file);
  });
  $('.cancel', node).addEventListener('click', () => uploads.get(item.id)?.xhr?.abort());
  $('.retry', node).addEventListener('click', () => uploadImage(item, uploads.get(item.id).file));
  $('.edit', node).addEventListener('click', () => fillForm(item));
  $('.delete', node).addEventListener('click', () => deleteItem(item));
  acceptDrops(node, item);
  showUpload(node, uploads.get(item.id));
  return node;
}

/** The thumbnail, linked to the original; an image without a thumbnail gets a link only (never the original inline). */
function renderThumb(item, box) {
  if (!item.image_url) return;
  const link = document.createElement('a');
  link.href = item.image_url;
  link.target = '_blank';
  link.rel = 'noopener';
  if (item.thumbnail_url) {
    const img = document.createElement('img');
    img.src = item.thumbnail_url;
    img.srcset = `${item.thumbnail_url} 1x, ${item.thumbnail_2x_url} 2x`;
    img.alt = `${item.name}: open the full-size image`;
    img.width = 160;
    img.height = 120;
    img.loading = 'lazy';
    link.append(img);
  } else {
    link.textContent = 'View image';
    link.append(Object.assign(document.createElement('span'), { className: 'visually-hidden', textContent: ` of ${item.name}` }));
  }
  box.replaceChildren(link);
}

function acceptDrops(node, item) {
  const hasFiles = (event) => [...event.dataTransfer.types].includes('Files');
  node.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    node.classList.add('drop-target');
  });
  node.addEventListener('dragleave', () => node.classList.remove('drop-target'));
  node.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    node.classList.remove('drop-target');
    const file = event.dataTransfer.files[0];
    if (file) uploadImage(item, file);
  });
}

/** Shows an upload's state in its item's row: progress and cancel while it runs, the outcome, retry after a failure. */
function showUpload(node, upload) {
  const running = upload?.state === 'uploading';
  const progress = $('progress', node);
  progress.hidden = !running;
  if (running) progress.value = upload.total ? Math.round((upload.loaded / upload.total) * 100) : 0;
  const choose = $('.choose', node);
  const cancel = $('.cancel', node);
  cancel.hidden = !running;
  // While it runs, Cancel takes the place of the upload button, and the keyboard focus with it.
  if (running && document.activeElement === choose) cancel.focus();
  choose.hidden = running;
  $('.retry', node).hidden = upload?.state !== 'failed';
  const status = $('.upload-status', node);
  const text = upload?.status ?? '';
  if (status.textContent !== text) status.textContent = text;
  status.classList.toggle('error', upload?.state === 'failed' || upload?.state === 'refused');
}

/** Re-renders one row in place, keeping the keyboard focus on the same control (or the upload button). */
function refreshRow(item) {
  const old = itemsList.querySelector(`.item[data-id="${item.id}"]`);
  if (!old) return;
  const focused = ['choose', 'cancel', 'retry', 'edit', 'delete'].find(
    (control) => old.contains(document.activeElement) && document.activeElement.classList.contains(control),
  );
  const node = renderItem(item);
  old.replaceWith(node);
  if (!focused) return;
  const same = node.querySelector(`.${focused}`);
  (same && !same.hidden && !same.disabled ? same : $('.choose', node)).focus();
}

function updateRow(id) {
  const node = itemsList.querySelector(`.item[data-id="${id}"]`);
  if (node) showUpload(node, uploads.get(id));
}

function fillForm(item) {
  for (const field of ['id', 'name', 'description', 'quantity']) itemForm.elements[field].value = item[field];
  itemForm.elements.name.focus();
}

async function loadItems() {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (view.q) query.set('q', view.q);
  if (view.cursors[view.page]) query.set('cursor', view.cursors[view.page]);
  try {
    renderItems(await api(`/inventory?${query}`));
  } catch (err) {
    showMessage(`Could not load the inventory: ${err.message}`, 'error');
  }
}

async function deleteItem(item) {
  if (!confirm(`Delete "${item.name}" and its image?`)) return;
  try {
    await api(`/inventory/${item.id}`, { method: 'DELETE' });
    showMessage(`Deleted "${item.name}".`);
    await loadItems();
  } catch (err) {
    showMessage(`Could not delete: ${err.message}`, 'error');
  }
}

/** Checks what the browser can know before sending; the server checks the real content again. */
function checkFile(file) {
  if (file.size === 0) return 'The file is empty.';
  if (file.size > limits.maxUploadBytes) return `The file is larger than ${formatBytes(limits.maxUploadBytes)}.`;
  if (file.type && limits.allowedTypes.length && !limits.allowedTypes.includes(file.type)) {
    return 'The file is not an image this app takes: use PNG, JPEG, GIF, WebP or AVIF.';
  }
  return undefined;
}

// XMLHttpRequest rather than fetch: only XHR reports upload progress.
function uploadImage(item, file) {
  message.textContent = ''; // an old outcome ("Saved ...") must not sit beside this upload's
  // 'refused': the file itself is the problem, so there is nothing to retry; 'failed': trying again may work.
  const upload = { file, state: 'refused', loaded: 0, total: file.size, status: checkFile(file) };
  uploads.set(item.id, upload);
  if (upload.status) return updateRow(item.id);

  const form = new FormData();
  form.append(limits.imageField, file);
  const xhr = new XMLHttpRequest();
  Object.assign(upload, { xhr, state: 'uploading', status: `Uploading ${file.name} (${formatBytes(file.size)})…` });
  xhr.open('POST', `/inventory/${item.id}/image`);
  xhr.responseType = 'json';
  xhr.upload.addEventListener('progress', (event) => {
    if (!event.lengthComputable) return;
    upload.loaded = event.loaded;
    upload.total = event.total;
    updateRow(item.id);
  });
  const finish = (state, status, updated = item) => {
    Object.assign(upload, { state, status, xhr: undefined });
    if (state === 'done') upload.file = undefined; // nothing to retry: let the browser free it
    refreshRow(updated);
  };
  xhr.addEventListener('load', () => {
    if (xhr.status === 200) return finish('done', `Uploaded ${file.name}.`, xhr.response);
    const reason = (xhr.response && xhr.response.message) || `the server answered ${xhr.status}`;
    const worthRetrying = xhr.status >= 500 || xhr.status === 408 || xhr.status === 409;
    finish(worthRetrying ? 'failed' : 'refused', `Upload failed: ${reason}.`.replace(/\.\.$/, '.'));
  });
  xhr.addEventListener('error', () => finish('failed', 'Upload failed: the connection was lost.'));
  xhr.addEventListener('abort', () => finish('cancelled', 'Upload cancelled. Nothing was saved.'));
  updateRow(item.id);
  xhr.send(form);
}

itemForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(itemForm);
  const item = {
    id: Number(data.get('id')),
    name: String(data.get('name')),
    description: String(data.get('description') || ''),
    quantity: Number(data.get('quantity')),
  };
  try {
    const saved = await api('/inventory', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(item),
    });
    showMessage(`Saved "${saved.name}".`);
    itemForm.reset();
    await loadItems();
  } catch (err) {
    showMessage(`Could not save: ${err.message}`, 'error');
  }
});

function showPage(page, q = view.q) {
  if (q !== view.q) view.cursors = [null];
  Object.assign(view, { q, page });
  return loadItems();
}

searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  showPage(0, searchForm.elements.q.value.trim());
});
$('#show-all').addEventListener('click', () => {
  searchForm.reset();
  showPage(0, '');
});
$('#previous-page').addEventListener('click', () => showPage(view.page - 1));
$('#next-page').addEventListener('click', () => showPage(view.page + 1));

api('/config.json')
  .then((config) => (limits = config))
  .catch(() => undefined)
  .finally(loadItems);

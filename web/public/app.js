// Browser UI for the inventory API. Plain JavaScript, served by the app itself (no CDN, no build step).
'use strict';

const $ = (selector, root = document) => root.querySelector(selector);
const itemsList = $('#items');
const template = $('#item-template');
const message = $('#message');
const itemForm = $('#item-form');
let limits = { maxUploadBytes: Infinity, allowedTypes: [], imageField: 'image_file' };

function showMessage(text, kind = 'ok') {
  message.textContent = text;
  message.className = kind;
  message.hidden = false;
}

function formatBytes(bytes) {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

async function api(path, options = {}) {
  const res = await fetch(path, options);
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.message || `${res.status} ${res.statusText}`);
  return body;
}

function renderItems(items) {
  itemsList.replaceChildren(...items.map(renderItem));
  $('#empty').hidden = items.length > 0;
}

function renderItem(item) {
  const node = template.content.firstElementChild.cloneNode(true);
  node.dataset.id = item.id;
  $('.name', node).textContent = item.name;
  $('.id', node).textContent = `#${item.id}`;
  $('.description', node).textContent = item.description;
  $('.quantity', node).textContent = item.quantity;
  const img = $('img', node);
  if (item.image_url) {
    img.src = item.image_url;
    img.alt = `Image of ${item.name}`;
    img.hidden = false;
    $('.no-image', node).hidden = true;
  }
  $('.edit', node).addEventListener('click', () => fillForm(item));
  $('.delete', node).addEventListener('click', () => deleteItem(item));
  $('input[type=file]', node).addEventListener('change', (event) => {
    const file = event.target.files[0];
    event.target.value = '';
    if (file) uploadImage(item, file, node);
  });
  return node;
}

function fillForm(item) {
  for (const field of ['id', 'name', 'description', 'quantity']) itemForm.elements[field].value = item[field];
  itemForm.elements.name.focus();
}

async function loadItems() {
  try {
    renderItems(await api('/inventory'));
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
  if (file.size === 0) return 'That file is empty.';
  if (file.size > limits.maxUploadBytes) {
    return `That file is ${formatBytes(file.size)}; the limit is ${formatBytes(limits.maxUploadBytes)}.`;
  }
  if (file.type && limits.allowedTypes.length && !limits.allowedTypes.includes(file.type)) {
    return 'That is not a supported image. Use PNG, JPEG, GIF, WebP or AVIF.';
  }
  return undefined;
}

// XMLHttpRequest rather than fetch: only XHR reports upload progress.
function uploadImage(item, file, node) {
  const status = $('.upload-status', node);
  const progress = $('progress', node);
  status.classList.remove('error');
  const problem = checkFile(file);
  if (problem) {
    status.textContent = problem;
    status.classList.add('error');
    return;
  }
  const form = new FormData();
  form.append(limits.imageField, file);
  const xhr = new XMLHttpRequest();
  xhr.open('POST', `/inventory/${item.id}/image`);
  xhr.responseType = 'json';
  xhr.upload.addEventListener('progress', (event) => {
    if (!event.lengthComputable) return;
    progress.value = Math.round((event.loaded / event.total) * 100);
    status.textContent = `${formatBytes(event.loaded)} of ${formatBytes(event.total)}`;
  });
  xhr.addEventListener('load', () => {
    progress.hidden = true;
    if (xhr.status === 200) {
      status.textContent = 'Uploaded.';
      node.replaceWith(renderItem(xhr.response));
    } else {
      status.textContent = (xhr.response && xhr.response.message) || `Upload failed (${xhr.status}).`;
      status.classList.add('error');
    }
  });
  xhr.addEventListener('error', () => {
    progress.hidden = true;
    status.textContent = 'Upload failed: the connection was lost.';
    status.classList.add('error');
  });
  progress.value = 0;
  progress.hidden = false;
  status.textContent = 'Uploading…';
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

$('#search-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = event.target.elements.id.value;
  if (!id) return loadItems();
  try {
    renderItems([await api(`/inventory/${encodeURIComponent(id)}`)]);
    message.hidden = true;
  } catch (err) {
    renderItems([]);
    showMessage(err.message, 'error');
  }
});

$('#show-all').addEventListener('click', () => {
  $('#search-form').reset();
  message.hidden = true;
  loadItems();
});

api('/config.json')
  .then((config) => (limits = config))
  .catch(() => undefined)
  .finally(loadItems);

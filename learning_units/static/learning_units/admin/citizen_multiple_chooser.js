/* Members of a learning unit: Wagtail's citizen chooser modal in multiple mode fills a list of
   hidden inputs named like the form field, so the form posts ids as a multiple select would. */
(function () {
  'use strict';

  function init(container) {
    if (container.dataset.ready) return;
    container.dataset.ready = 'true';
    var definition = container.querySelector('script[type="application/json"]');
    var chooser = window.telepath.unpack(JSON.parse(definition.textContent));
    var list = container.querySelector('[data-citizen-members-list]');
    var empty = container.querySelector('[data-citizen-members-empty]');

    function refresh() {
      empty.hidden = list.children.length > 0;
    }

    function add(item) {
      var existing = Array.prototype.some.call(list.children, function (row) {
        return row.dataset.citizenMember === String(item.id);
      });
      if (existing) return;
      var row = document.createElement('li');
      row.className = 'cdht-members__item';
      row.dataset.citizenMember = item.id;
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = container.dataset.fieldName;
      input.value = item.id;
      var label = document.createElement('span');
      label.textContent = item.title;
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'button button-small button-secondary';
      remove.dataset.citizenMemberRemove = '';
      remove.textContent = container.dataset.removeLabel;
      row.append(input, label, ' ', remove);
      list.append(row);
    }

    container.addEventListener('click', function (event) {
      var remove = event.target.closest('[data-citizen-member-remove]');
      if (remove) {
        remove.closest('li').remove();
        refresh();
        container.dispatchEvent(new Event('change', { bubbles: true }));
        return;
      }
      if (event.target.closest('[data-citizen-members-add]')) {
        chooser.openModal(function (items) {
          items.forEach(add);
          refresh();
          container.dispatchEvent(new Event('change', { bubbles: true }));
        }, { multiple: true });
      }
    });
  }

  function initAll() {
    document.querySelectorAll('[data-citizen-members]').forEach(init);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', initAll);
  } else {
    initAll();
  }
})();

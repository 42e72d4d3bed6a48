import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { describedBy, FieldNotes } from '../../common/components';

/** One choice of a {@link Combobox}: the value it puts into the field and what the list shows. */
export interface ComboOption {
  readonly value: string;
  readonly label: string;
}

const MAX_SHOWN = 8;

/**
 * A text field with a searchable list (the ARIA 1.2 combobox pattern): typing filters the options,
 * arrow keys move through them, Enter or a tap picks one and puts its value into the field. The field
 * stays free text, so a code typed directly is kept as typed; the form's checks judge the value.
 */
export function Combobox(props: {
  id: string;
  label: ComponentChildren;
  listLabel: string;
  value: string;
  search: (query: string) => readonly ComboOption[];
  onValue: (value: string) => void;
  onBlur?: () => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  noMatches: string;
  inputMode?: 'text' | 'numeric';
}) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const options = open ? props.search(props.value).slice(0, MAX_SHOWN) : [];
  const listId = `${props.id}-list`;
  const optionId = (index: number) => `${props.id}-option-${index}`;

  const pick = (option: ComboOption) => {
    props.onValue(option.value);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(0);
        return;
      }
      const count = options.length;
      if (count === 0) return;
      setActive((index) => (event.key === 'ArrowDown' ? (index + 1) % count : (index - 1 + count) % count));
    } else if (event.key === 'Enter' && open && active >= 0 && options[active]) {
      event.preventDefault();
      pick(options[active]);
    } else if (event.key === 'Escape') {
      setOpen(false);
      setActive(-1);
    }
  };

  return (
    <div class={props.error ? 'field combobox field--error' : 'field combobox'}>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type="text"
        role="combobox"
        autoComplete="off"
        inputMode={props.inputMode}
        aria-autocomplete="list"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 && options[active] ? optionId(active) : undefined}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        value={props.value}
        onInput={(e) => {
          props.onValue(e.currentTarget.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          setActive(-1);
          props.onBlur?.();
        }}
        onKeyDown={onKeyDown}
      />
      <div id={listId} role="listbox" aria-label={props.listLabel} class="combo-list" hidden={!open}>
        {options.map((option, index) => (
          <div
            key={option.value}
            id={optionId(index)}
            role="option"
            // Options are reached with aria-activedescendant from the input (focus stays there).
            tabIndex={-1}
            aria-selected={index === active ? 'true' : 'false'}
            class={index === active ? 'active' : undefined}
            // mousedown, not click: the input keeps its focus (no blur closing the list first).
            onMouseDown={(e) => {
              e.preventDefault();
              pick(option);
            }}
          >
            {option.label}
          </div>
        ))}
        {open && options.length === 0 ? (
          <div role="option" tabIndex={-1} aria-selected="false" aria-disabled="true" class="empty">
            {props.noMatches}
          </div>
        ) : null}
      </div>
      <FieldNotes id={props.id} hint={props.hint} error={props.error} />
    </div>
  );
}

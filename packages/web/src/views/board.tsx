import { useEffect, useRef } from 'preact/hooks';
import type { LiveFeed } from '../browser/live';
import { navigate, search } from '../browser/router';
import { filterFromSearch, searchFromFilter, type BoardFilter } from '../logic/filter';
import type { Group } from '../types';
import { ConnectionBadge } from './connection-badge';
import { feedSections } from './feed-sections';
import { StatusCounts } from './status-counts';
import { usePaintedMark } from '../browser/painted';
import { flatTile, Tile } from './tile';

function setFilter(filter: BoardFilter): void {
  navigate(`${location.pathname}${searchFromFilter(filter)}`, true);
}

/** The board: every monitor as a tile, grouped, searchable, with a "problems only" view. */
export function Board(props: { feed: LiveFeed; groups: readonly Group[]; user?: string }) {
  const { feed } = props;
  const { filter, all, sections } = feedSections(feed, props.groups);
  const shown = sections.reduce((n, s) => n + s.monitors.length, 0);
  const input = useRef<HTMLInputElement>(null);
  const loaded = feed.loaded.value;
  usePaintedMark(loaded, shown);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const typing = event.target instanceof HTMLInputElement;
      if (event.key === '/' && !typing) {
        event.preventDefault();
        input.current?.focus();
      } else if (event.key === 'Escape') {
        input.current?.blur();
        setFilter({ q: '', problems: false, group: '' });
      } else if (!typing && event.key === 'p') {
        const now = filterFromSearch(location.search);
        setFilter({ ...now, problems: !now.problems });
      } else if (!typing && event.key === 't') navigate(`/tv${location.search}`);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class="page board">
      <header class="bar">
        <h1>Vigil</h1>
        <StatusCounts monitors={all} />
        <input
          ref={input}
          class="search"
          type="search"
          placeholder="Search monitors ( / )"
          aria-label="search monitors"
          value={filter.q}
          onInput={(e) => setFilter({ ...filter, q: e.currentTarget.value })}
        />
        <label class="toggle">
          <input
            type="checkbox"
            checked={filter.problems}
            onChange={(e) => setFilter({ ...filter, problems: e.currentTarget.checked })}
          />{' '}
          Problems only (p)
        </label>
        <a class="button" href={`/tv${search.value}`}>
          TV mode (t)
        </a>
        <ConnectionBadge connection={feed.connection.value} />
        {props.user === undefined ? null : <SignOut user={props.user} />}
      </header>
      {!loaded ? (
        <p class="empty">Loading…</p>
      ) : shown === 0 ? (
        <p class="empty">
          {all.length === 0
            ? 'No monitors yet: add some to the config file.'
            : filter.problems && filter.q === ''
              ? '✔ No problems: every monitor is up.'
              : 'No monitor matches.'}
        </p>
      ) : (
        sections.map((section) => (
          <section key={section.id} class="group" data-group={section.id}>
            <h2>
              {section.name} <small>{section.monitors.length}</small>
              {section.support === undefined ? null : (
                <span class="support">
                  on support: {section.support.name}
                  {section.support.contact === undefined ? '' : ` (${section.support.contact})`}
                </span>
              )}
            </h2>
            <div class={`tiles${all.length > 400 ? ' compact' : ''}`}>
              {all.length > 400
                ? section.monitors.map(flatTile)
                : section.monitors.map((m) => <Tile key={m.id} m={m} detail="full" />)}
            </div>
          </section>
        ))
      )}
    </div>
  );
}

function SignOut(props: { user: string }) {
  return (
    <form
      class="signout"
      method="post"
      onSubmit={(e) => {
        e.preventDefault();
        void fetch('/api/v1/auth/logout', { method: 'POST' }).then(() => location.assign('/'));
      }}
    >
      <span>{props.user}</span> <button type="submit">Sign out</button>
    </form>
  );
}

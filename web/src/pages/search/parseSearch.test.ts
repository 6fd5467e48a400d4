// Unit tests for the search box's `#` / `@` prefixes and term validation.
import { describe, expect, it } from 'vitest';
import { parseSearch, searchMode } from './parseSearch';

describe('parseSearch', () => {
  it('searches both people and hashtags for a plain word', () => {
    expect(parseSearch('  Ali ')).toEqual({ users: 'Ali', tags: 'ali' });
    expect(searchMode('ali')).toBe('all');
  });

  it('searches hashtags only after a leading #', () => {
    expect(parseSearch('#Rust')).toEqual({ users: null, tags: 'rust' });
    expect(parseSearch('#안녕')).toEqual({ users: null, tags: '안녕' });
    expect(searchMode('#rust')).toBe('tags');
  });

  it('searches people only after a leading @', () => {
    expect(parseSearch('@bob')).toEqual({ users: 'bob', tags: null });
    expect(searchMode('@bob')).toBe('users');
  });

  it('skips searches the server would refuse', () => {
    expect(parseSearch('')).toEqual({ users: null, tags: null });
    expect(parseSearch('#')).toEqual({ users: null, tags: null });
    expect(parseSearch('@')).toEqual({ users: null, tags: null });
    // A space is fine in a display name but not in a hashtag.
    expect(parseSearch('Ann Lee')).toEqual({ users: 'Ann Lee', tags: null });
    expect(parseSearch('x'.repeat(51)).users).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { didWebDocumentUrl } from './did-web.js';

describe('didWebDocumentUrl', () => {
  it.each([
    ['did:web:example.com', 'https://example.com/.well-known/did.json'],
    ['did:web:example.com%3A8443', 'https://example.com:8443/.well-known/did.json'],
    ['did:web:w3c-ccg.github.io:user:alice', 'https://w3c-ccg.github.io/user/alice/did.json'],
  ])('%s → %s', (did, url) => {
    expect(didWebDocumentUrl(did).toString()).toBe(url);
  });

  it.each([
    'did:web:',
    'did:web:user@evil.example',
    'did:web:example.com/../x',
    'did:web:exa mple.com',
    'did:web:example.com:..',
  ])('refuses %s', (did) => {
    expect(() => didWebDocumentUrl(did)).toThrow(expect.objectContaining({ code: 'unsupported_did_method' }));
  });
});

// Unit tests of error mapping: human messages by code and field errors for forms.
import { describe, expect, it } from 'vitest';
import { ApiError } from './client';
import { errorMessage, fieldErrors } from './errors';

describe('errorMessage', () => {
  it('maps known codes to human text', () => {
    expect(errorMessage(new ApiError(401, 'invalid_credentials', 'Wrong login or password.'))).toBe(
      'Wrong username/email or password.',
    );
    expect(errorMessage(new ApiError(409, 'username_taken', 'x'))).toMatch(/username is taken/i);
    expect(errorMessage(new ApiError(0, 'network_error', 'x'))).toMatch(/could not reach the server/i);
    expect(errorMessage(new ApiError(401, 'session_expired', 'x'))).toBe(
      'Your session has expired, please sign in again.',
    );
  });

  it('explains the sign-in provider codes', () => {
    expect(errorMessage({ code: 'oauth_failed' })).toBe(
      'Signing in with the provider failed. Try again, or use your password.',
    );
    expect(errorMessage(new ApiError(409, 'identity_taken', 'x'))).toMatch(/linked to a Parley account already/);
    expect(errorMessage(new ApiError(409, 'last_sign_in_method', 'x'))).toMatch(/only way to sign in/);
    expect(errorMessage(new ApiError(403, 'fresh_sign_in_required', 'x'))).toMatch(/sign in with your provider again/);
  });

  it('says how long to wait when rate limited', () => {
    expect(errorMessage(new ApiError(429, 'rate_limited', 'x', undefined, 12))).toBe(
      'Too many attempts. Please wait 12 seconds and try again.',
    );
    expect(errorMessage(new ApiError(429, 'rate_limited', 'x', undefined, 300))).toMatch(/5 minutes/);
    expect(errorMessage(new ApiError(429, 'rate_limited', 'x'))).toMatch(/wait a moment/);
  });

  it('points at the fields on validation errors, else uses the server message', () => {
    expect(errorMessage(new ApiError(422, 'validation_failed', 'Bad.', { email: 'not an email' }))).toBe(
      'Please fix the highlighted fields.',
    );
    expect(errorMessage(new ApiError(422, 'validation_failed', 'Wrong current password.'))).toBe(
      'Wrong current password.',
    );
  });

  it('uses the server message for unknown codes and handles non-API errors', () => {
    expect(errorMessage(new ApiError(400, 'something_new', 'Server says no.'))).toBe('Server says no.');
    expect(errorMessage({ code: 'rate_limited', message: 'x', retry_after: 2 })).toMatch(/2 seconds/);
    expect(errorMessage(new TypeError('Failed to fetch'))).toMatch(/could not reach the server/i);
    expect(errorMessage(new Error('boom'))).toBe('Something went wrong. Please try again.');
    expect(errorMessage(null)).toBe('');
  });
});

describe('fieldErrors', () => {
  it('returns the fields of a validation error', () => {
    expect(fieldErrors(new ApiError(422, 'validation_failed', 'x', { password: 'too short' }))).toEqual({
      password: 'too short',
    });
  });

  it('attaches conflicts to their field', () => {
    expect(fieldErrors(new ApiError(409, 'username_taken', 'x'))).toEqual({ username: 'This username is taken.' });
    expect(fieldErrors(new ApiError(409, 'email_taken', 'x')).email).toMatch(/already exists/);
  });

  it('is empty for anything else', () => {
    expect(fieldErrors(new Error('x'))).toEqual({});
    expect(fieldErrors(undefined)).toEqual({});
  });
});

describe('support desk codes', () => {
  it('explains each support refusal', () => {
    expect(errorMessage(new ApiError(409, 'last_owner', 'x'))).toMatch(/at least one owner/);
    expect(errorMessage(new ApiError(409, 'consultation_closed', 'x'))).toMatch(/consultation is closed/);
    expect(errorMessage(new ApiError(403, 'not_org_owner', 'x'))).toMatch(/owner/);
    expect(errorMessage(new ApiError(403, 'not_agent', 'x'))).toMatch(/agents/);
    expect(errorMessage(new ApiError(409, 'already_agent', 'x'))).toMatch(/already an agent/);
  });

  it('puts slug_taken and already_agent beside their fields', () => {
    expect(fieldErrors(new ApiError(409, 'slug_taken', 'x'))).toEqual({ slug: 'This address is taken.' });
    expect(fieldErrors(new ApiError(409, 'already_agent', 'x')).username).toMatch(/already/i);
  });
});

describe('developer portal codes', () => {
  it('explains domain_taken and invalid_client, and puts domain_taken beside the host', () => {
    expect(errorMessage(new ApiError(409, 'domain_taken', 'x'))).toMatch(/registered this host already/);
    expect(errorMessage(new ApiError(401, 'invalid_client', 'x'))).toMatch(/client secret is not valid/);
    expect(fieldErrors(new ApiError(409, 'domain_taken', 'x'))).toEqual({ host: 'You have registered this host already.' });
  });
});

import { describe, expect, it } from 'vitest';
import {
  CmsApiError,
  CmsAuthenticationError,
  CmsConflictError,
  CmsConnectionError,
  type CmsError,
  CmsNotFoundError,
  CmsPermissionError,
  CmsRateLimitError,
  CmsTimeoutError,
  CmsValidationError,
  errorClassForStatus,
  errorFromResponse,
  isCmsError,
} from './errors.js';
import { errorCatalogue } from './generated/errors.js';

describe('errors', () => {
  it('maps every code of the catalogue to the class of its status', () => {
    const expected: Record<number, unknown> = {
      400: CmsValidationError,
      401: CmsAuthenticationError,
      403: CmsPermissionError,
      404: CmsNotFoundError,
      405: CmsApiError,
      409: CmsConflictError,
      412: CmsConflictError,
      413: CmsValidationError,
      415: CmsValidationError,
      416: CmsValidationError,
      422: CmsValidationError,
      429: CmsRateLimitError,
      500: CmsApiError,
      503: CmsApiError,
    };
    for (const [code, { status, title }] of Object.entries(errorCatalogue)) {
      const error = errorFromResponse(
        status,
        { type: `urn:cms:problem:${code}`, title, status, code, requestId: 'r1' },
        undefined,
      );
      expect(error, code).toBeInstanceOf(expected[status] as typeof CmsError);
      expect(error.name, code).toBe((expected[status] as typeof CmsError).name);
      expect(isCmsError(error)).toBe(true);
      expect(error).toMatchObject({
        status,
        code,
        requestId: 'r1',
        docsPath: `docs/errors/${code}.md`,
        message: title,
      });
    }
  });

  it('keeps the detail and the field errors of a problem', () => {
    const e = errorFromResponse(
      422,
      {
        type: 'x',
        title: 'Bad.',
        status: 422,
        code: 'validation_failed',
        detail: 'Fix it.',
        errors: [{ path: '/body/title', message: 'required' }],
      },
      'req-9',
    );
    expect(e.message).toBe('Bad. Fix it.');
    expect(e.requestId).toBe('req-9');
    expect(e.details?.errors).toEqual([{ path: '/body/title', message: 'required' }]);
  });

  it('copes with a body that is not a problem document (a proxy’s 502 page)', () => {
    const e = errorFromResponse(502, '<html>Bad gateway</html>', 'req-1');
    expect(e).toBeInstanceOf(CmsApiError);
    expect(e).toMatchObject({ status: 502, code: 'internal_error', message: 'HTTP 502', requestId: 'req-1' });
    expect(errorClassForStatus(418)).toBe(CmsApiError);
  });

  it('keeps Retry-After of a 429 in seconds', () => {
    const e = errorFromResponse(429, { type: 'x', title: 'Slow down.', status: 429, code: 'rate_limited' }, 'r', 12);
    expect(e).toBeInstanceOf(CmsRateLimitError);
    expect((e as CmsRateLimitError).retryAfterSeconds).toBe(12);
  });

  it('is recognised by name as well as instanceof', () => {
    const foreign = Object.assign(new Error('x'), { name: 'CmsNotFoundError', code: 'not_found' });
    expect(isCmsError(foreign)).toBe(true);
    expect(isCmsError(new Error('x'))).toBe(false);
    expect(new CmsNotFoundError('m', { code: 'not_found' }).name).toBe('CmsNotFoundError');
    const timeout = new CmsTimeoutError('t', { code: 'timeout' });
    expect(timeout).toBeInstanceOf(CmsConnectionError);
    expect(timeout.name).toBe('CmsTimeoutError');
    expect(timeout.docsPath).toBe('docs/sdk.md#errors-raised-by-the-sdk');
    expect(isCmsError(timeout)).toBe(true);
  });
});

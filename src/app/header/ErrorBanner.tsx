import { useEffect } from 'react';
import { formatFieldError } from '../../engine/scenario/validate';
import { setState, useStore } from '../store/store';

export function ErrorBanner() {
  const banner = useStore((s) => s.banner);
  if (!banner) return null;
  return (
    <div className="banner" role="alert" data-testid="error-banner">
      <strong>{banner.title}</strong>
      <ul>
        {banner.errors.map((e) => (
          <li key={formatFieldError(e)}>{formatFieldError(e)}</li>
        ))}
      </ul>
      <button type="button" onClick={() => setState({ banner: null })} aria-label="dismiss">
        ×
      </button>
    </div>
  );
}

export function Toast() {
  const toast = useStore((s) => s.toast);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setState({ toast: null }), 3500);
    return () => clearTimeout(t);
  }, [toast]);
  return toast ? (
    <div className="toast" role="status" data-testid="toast">
      {toast}
    </div>
  ) : null;
}

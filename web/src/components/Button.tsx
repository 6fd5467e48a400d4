// A button with the app's styles and a busy state (keeps its accessible name while busy).
import type { ButtonHTMLAttributes } from 'react';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'default' | 'primary' | 'danger' | 'ghost';
  busy?: boolean;
}

export function Button({ variant = 'default', busy = false, className, disabled, type, children, ...rest }: ButtonProps) {
  const classes = ['btn', variant !== 'default' ? `btn-${variant}` : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <button
      type={type ?? 'button'}
      className={classes}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {children}
    </button>
  );
}

export default Button;

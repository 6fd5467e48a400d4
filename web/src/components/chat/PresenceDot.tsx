// The green/grey dot on a direct chat's avatar; its state is also given as text.
export function PresenceDot({ online }: { online: boolean }) {
  return (
    <span className={online ? 'presence-dot presence-online' : 'presence-dot'} title={online ? 'Online' : 'Offline'}>
      <span className="visually-hidden">{online ? 'Online' : 'Offline'}</span>
    </span>
  );
}

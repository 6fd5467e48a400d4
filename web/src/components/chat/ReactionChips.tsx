// The reactions under a message bubble: one chip per emoji ("👍 2"), pressed and
// highlighted when I am among those who reacted; clicking one toggles my reaction.
import type { Reaction } from '../../api/types';
import { reactedByMe, reactionTitle } from '../../chat/reactions';

export function ReactionChips({
  reactions,
  myId,
  busy,
  onToggle,
}: {
  reactions: readonly Reaction[];
  myId: string;
  busy: boolean;
  onToggle: (emoji: string) => void;
}) {
  if (reactions.length === 0) return null;
  return (
    <ul className="chat-reactions" aria-label="Reactions">
      {reactions.map((r) => {
        const mine = reactedByMe(r, myId);
        return (
          <li key={r.emoji}>
            <button
              type="button"
              className={mine ? 'chat-reaction chat-reaction-mine' : 'chat-reaction'}
              aria-pressed={mine}
              aria-busy={busy || undefined}
              title={reactionTitle(r, myId)}
              onClick={() => onToggle(r.emoji)}
            >
              <span className="chat-reaction-emoji">{r.emoji}</span> <span className="chat-reaction-count">{r.count}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

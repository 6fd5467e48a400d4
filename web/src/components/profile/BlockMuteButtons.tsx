// Block / Unblock and Mute / Unmute on someone else's profile. Blocking asks first (inline,
// saying what it does); unblocking, muting and unmuting act at once. The answer (the user's
// fresh profile, with `blocking` / `muting`) replaces ['user', username] — see blocks/queries.
import { useState } from 'react';
import type { User } from '../../api/types';
import { errorMessage } from '../../api/errors';
import { useBlockMutation, useMuteMutation } from '../../blocks/queries';
import { Button } from '../Button';
import { InlineConfirm } from '../InlineConfirm';

export function BlockMuteButtons({ user }: { user: User }) {
  const blocking = user.blocking === true;
  const muting = user.muting === true;
  const block = useBlockMutation(user.username);
  const mute = useMuteMutation(user.username);
  const [confirming, setConfirming] = useState(false);

  if (confirming) {
    return (
      <InlineConfirm
        label={`Confirm blocking @${user.username}`}
        question={`Block @${user.username}? Neither of you will see the other's posts, comments or notifications, you stop following each other, and they cannot follow you, message you or see your profile. They are not told.`}
        action="Block"
        busyAction="Blocking…"
        busy={block.isPending}
        error={block.error}
        onConfirm={() => block.mutate(true, { onSuccess: () => setConfirming(false) })}
        onCancel={() => {
          block.reset();
          setConfirming(false);
        }}
      />
    );
  }

  return (
    <span className="block-mute-buttons">
      <Button aria-pressed={muting} busy={mute.isPending} onClick={() => mute.mutate(!muting)}>
        {muting ? 'Unmute' : 'Mute'}
      </Button>
      {blocking ? (
        <Button aria-pressed busy={block.isPending} onClick={() => block.mutate(false)}>
          Unblock
        </Button>
      ) : (
        <Button
          onClick={() => {
            block.reset();
            setConfirming(true);
          }}
        >
          Block
        </Button>
      )}
      {mute.isError || block.isError ? (
        <span className="field-error" role="alert">
          {errorMessage(mute.error ?? block.error)}
        </span>
      ) : null}
    </span>
  );
}

export default BlockMuteButtons;

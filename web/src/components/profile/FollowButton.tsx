// The Follow / Unfollow toggle on a profile. PUT or DELETE /users/:username/follow answer
// with the followee's fresh profile, which replaces ['user', username] so the counts update.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { followUser, unfollowUser } from '../../api/users';
import type { User } from '../../api/types';
import { errorMessage } from '../../api/errors';
import { useSession } from '../../session/SessionContext';
import { Button } from '../Button';

export function FollowButton({ user }: { user: User }) {
  const qc = useQueryClient();
  const { me } = useSession();
  const following = user.followed_by_me === true;

  const mutation = useMutation({
    mutationFn: (follow: boolean) => (follow ? followUser(user.username) : unfollowUser(user.username)),
    onSuccess: (fresh) => {
      qc.setQueryData<User>(['user', fresh.username.toLowerCase()], fresh);
      // Lists and feeds that depend on who follows whom are now stale.
      void qc.invalidateQueries({ queryKey: ['followers', fresh.username.toLowerCase()] });
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      if (me) {
        const mine = me.username.toLowerCase();
        void qc.invalidateQueries({ queryKey: ['following', mine] });
        void qc.invalidateQueries({ queryKey: ['user', mine] });
      }
    },
  });

  return (
    <span className="follow-button">
      <Button
        variant={following ? 'default' : 'primary'}
        aria-pressed={following}
        busy={mutation.isPending}
        onClick={() => mutation.mutate(!following)}
      >
        {following ? 'Unfollow' : 'Follow'}
      </Button>
      {mutation.isError ? (
        <span className="field-error" role="alert">
          {errorMessage(mutation.error)}
        </span>
      ) : null}
    </span>
  );
}

export default FollowButton;

// "Message": opens the direct chat with a user (POST /conversations returns the existing
// one for the same pair) and goes to it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { startConversation } from '../../api/chat';
import { errorMessage } from '../../api/errors';
import { Button } from '../Button';

export function MessageButton({ username }: { username: string }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const mutation = useMutation({
    mutationFn: () => startConversation([username]),
    onSuccess: (conversation) => {
      qc.setQueryData(['conversation', conversation.id], conversation);
      void qc.invalidateQueries({ queryKey: ['conversations'], exact: true });
      navigate(`/chat/${encodeURIComponent(conversation.id)}`);
    },
  });
  return (
    <span className="message-button">
      <Button busy={mutation.isPending} onClick={() => mutation.mutate()}>
        Message
      </Button>
      {mutation.isError ? (
        <span className="field-error" role="alert">
          {errorMessage(mutation.error)}
        </span>
      ) : null}
    </span>
  );
}

export default MessageButton;

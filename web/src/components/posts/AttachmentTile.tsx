// One image in the composer: its preview, upload progress, processing state, error, a remove
// button and, once uploaded, "Add description" (an inline alt-text editor; "ALT" once described).
import { useState } from 'react';
import AltBadge from '../media/AltBadge';
import DescriptionEditor from '../media/DescriptionEditor';
import { altTextOf, type Attachment } from './useAttachments';

export default function AttachmentTile({
  item,
  index,
  onRemove,
  onDescribed,
}: {
  item: Attachment;
  index: number;
  onRemove: () => void;
  onDescribed: (altText: string) => void;
}) {
  const [describing, setDescribing] = useState(false);
  const media = item.media;
  const altText = altTextOf(item);
  // The server's preview once uploaded (the original while processing, then the thumbnail).
  const src = media ? media.preview_url : item.localUrl;
  const label = `Image ${index + 1}`;
  let status: string;
  if (item.state === 'uploading') status = `Uploading… ${Math.round(item.progress * 100)}%`;
  else if (item.state === 'error') status = item.error ?? 'Upload failed';
  else if (media?.status === 'processing') status = 'Processing…';
  else if (media?.status === 'failed') status = `Thumbnail failed${media.failure_reason ? `: ${media.failure_reason}` : ''}`;
  else status = 'Ready';

  return (
    <li
      className={`attachment attachment--${item.state}${describing ? ' attachment--describing' : ''}`}
      data-media-status={media?.status}
    >
      <img src={src} alt={`${label}: ${item.name}`} className="attachment__img" />
      {item.state === 'uploading' && (
        <progress className="attachment__progress" max={1} value={item.progress} aria-label={`Uploading ${label}`} />
      )}
      <span
        className={`attachment__status${item.state === 'error' || media?.status === 'failed' ? ' attachment__status--error' : ''}`}
        role={item.state === 'error' ? 'alert' : undefined}
      >
        {status}
      </span>
      {altText && (
        <span className="attachment__badge">
          <AltBadge />
        </span>
      )}
      {media && item.state === 'uploaded' && !describing && (
        <button
          type="button"
          className="btn attachment__describe"
          aria-label={`${altText ? 'Edit description of' : 'Add description to'} ${label}`}
          onClick={() => setDescribing(true)}
        >
          {altText ? 'Edit description' : 'Add description'}
        </button>
      )}
      {media && describing && (
        <DescriptionEditor
          media={media}
          label={label}
          initial={altText}
          onSaved={(fresh) => {
            onDescribed(fresh.alt_text);
            setDescribing(false);
          }}
          onCancel={() => setDescribing(false)}
        />
      )}
      <button type="button" className="attachment__remove" aria-label={`Remove ${label}`} onClick={onRemove}>
        <span aria-hidden="true">×</span>
      </button>
    </li>
  );
}

// The author's "Describe images" panel on an existing post: each image with its description
// (or "No description") and an inline editor; a saved description (PATCH /media/:id) goes into
// every cached copy of the post, so the card's images get the new alt at once.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Media, Post } from '../../api/types';
import AltBadge from '../media/AltBadge';
import DescriptionEditor from '../media/DescriptionEditor';
import MediaImage from '../media/MediaImage';
import { patchPost } from './postCache';

export default function PostDescriptions({ post, onDone }: { post: Post; onDone: () => void }) {
  const qc = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);

  const saved = (fresh: Media) => {
    patchPost(qc, post.id, (p) => ({
      ...p,
      media: p.media.map((m) => (m.id === fresh.id ? { ...m, alt_text: fresh.alt_text } : m)),
    }));
    setEditing(null);
  };

  return (
    <section className="stack post-descriptions" aria-label="Image descriptions">
      <ul className="post-descriptions__list">
        {post.media.map((m, i) => {
          const label = `Image ${i + 1}`;
          return (
            <li key={m.id} className="post-descriptions__item">
              <span className="post-descriptions__thumb">
                <MediaImage media={m} />
                {m.alt_text && (
                  <span className="attachment__badge">
                    <AltBadge />
                  </span>
                )}
              </span>
              {editing === m.id ? (
                <DescriptionEditor
                  media={m}
                  label={label}
                  initial={m.alt_text}
                  onSaved={saved}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <div className="stack post-descriptions__text">
                  <p className={m.alt_text ? undefined : 'post-descriptions__none'}>
                    {m.alt_text || 'No description'}
                  </p>
                  <button
                    type="button"
                    className="btn attachment__describe"
                    aria-label={`${m.alt_text ? 'Edit description of' : 'Add description to'} ${label}`}
                    onClick={() => setEditing(m.id)}
                  >
                    {m.alt_text ? 'Edit description' : 'Add description'}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <div className="row post-descriptions__actions">
        <button type="button" className="btn" onClick={onDone} autoFocus={editing === null}>
          Done
        </button>
      </div>
    </section>
  );
}

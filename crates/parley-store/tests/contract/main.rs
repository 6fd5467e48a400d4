//! The store contract suite: every test is written once, as an
//! `async fn(Backend)` in one of the modules below, and run on SQLite and on
//! PostgreSQL by [`contract_tests!`]. Test names read
//! `<backend>::<module>::<test>`, so `cargo test -p parley-store --test
//! contract postgres::` runs one backend and `sessions::` one module.
//!
//! The PostgreSQL half needs `PARLEY_TEST_POSTGRES_URL` (`make test` sets it);
//! without it those tests fail, they are never skipped.
//!
//! A test function that is written but not listed below is dead code, which
//! `clippy -D warnings` refuses, so none can be forgotten.

mod comments;
mod connect;
mod conversations;
mod follows;
mod identities;
mod liveness;
mod media;
mod messages;
mod notifications;
mod posts;
mod schema;
mod search;
mod sessions;
mod support;
mod support_desk;
mod users;

/// Instantiates each listed test once per backend:
///
/// ```text
/// contract_tests! {
///     users { creates_and_finds, concurrent_signups(flavor = "multi_thread", worker_threads = 2) }
/// }
/// ```
///
/// becomes `mod sqlite { mod users { #[tokio::test] async fn creates_and_finds() {..} .. } }`
/// and the same under `mod postgres`. Arguments in parentheses after a name
/// go to `#[tokio::test(..)]`.
macro_rules! contract_tests {
    ($($module:ident { $($tests:tt)* })*) => {
        mod sqlite {
            $(mod $module {
                contract_tests!(@tests Sqlite, $module, $($tests)*);
            })*
        }
        mod postgres {
            $(mod $module {
                contract_tests!(@tests Postgres, $module, $($tests)*);
            })*
        }
    };
    (@tests $backend:ident, $module:ident, $($test:ident $(($($runtime:tt)*))?),* $(,)?) => {
        $(
            #[tokio::test $(($($runtime)*))?]
            async fn $test() {
                crate::$module::$test(crate::support::Backend::$backend).await;
            }
        )*
    };
}

contract_tests! {
    connect {
        fresh_store_is_migrated_and_answers,
        migrating_twice_is_a_no_op,
        closed_store_is_unavailable,
        database_errors_keep_their_cause,
    }
    users {
        creates_and_finds,
        ids_and_timestamps_round_trip,
        duplicate_username_is_a_conflict,
        duplicate_email_is_a_conflict,
        update_profile_is_partial,
        set_password_hash_replaces_the_hash,
        set_last_seen_records_the_time,
        delete_user_cascades_to_sessions,
        delete_unknown_user_is_false,
        concurrent_signups_all_succeed(flavor = "multi_thread", worker_threads = 2),
        concurrent_duplicate_signups_have_one_winner(flavor = "multi_thread", worker_threads = 2),
    }
    identities {
        a_provider_account_is_made_with_its_identity,
        a_taken_identity_stores_no_account,
        linking_is_one_account_per_identity_and_one_identity_per_provider,
        unlinking_keeps_one_way_to_sign_in,
        deleting_the_account_removes_its_identities,
    }
    sessions {
        created_session_is_active_until_it_expires,
        rotation_issues_the_next_token,
        reuse_revokes_the_family,
        unknown_token_is_invalid,
        expired_token_is_invalid,
        revoke_session_is_idempotent,
        revoke_other_sessions_keeps_the_named_one,
        purge_removes_only_ended_sessions,
        concurrent_rotation_has_one_winner(flavor = "multi_thread", worker_threads = 2),
        concurrent_rotations_of_different_sessions_all_succeed(flavor = "multi_thread", worker_threads = 2),
    }
    posts {
        create_post_stores_hashtags_media_and_notifications,
        create_post_with_unavailable_media_stores_nothing,
        update_post_replaces_text_and_tags_and_notifies_once,
        delete_post_uncounts_and_cascades,
        feeds_list_the_right_posts_newest_first,
        likes_are_idempotent_and_counted,
        search_tags_by_prefix_most_used_first,
    }
    search {
        posts_are_found_by_prefix_korean_and_all_words,
    }
    comments {
        threads_and_reply_counts,
        comment_notifications_are_stored_with_the_comment,
        rejected_comments_store_nothing,
        delete_removes_the_sub_thread_and_fixes_counters,
    }
    follows {
        follow_is_idempotent_counted_and_notified_once,
        follow_pages_and_relationship,
        search_users_by_prefix,
    }
    notifications {
        page_unread_count_and_mark_read,
        notifications_by_ids_is_one_query,
    }
    conversations {
        open_direct_reuses_the_pair,
        groups_and_their_members,
        pages_by_activity_and_peers,
        read_markers_move_forward_and_unread_counts,
    }
    messages {
        seq_is_gap_free_under_concurrent_sends(flavor = "multi_thread", worker_threads = 4),
        client_id_retry_returns_the_same_message,
        media_is_attached_with_the_message_or_nothing_is_stored,
        history_after_and_before,
        edit_delete_and_erase,
    }
    media {
        uploads_and_thumbnail_jobs,
        alt_text_is_the_owners_to_write,
        avatars_replace_and_clear,
        garbage_is_collected_and_queued_for_deletion,
    }
    liveness {
        live_sessions_filters_revoked_expired_and_unknown,
    }
    support_desk {
        create_org_makes_the_owner_an_agent_and_slugs_are_unique,
        directory_search_matches_substrings_in_any_script,
        agents_and_the_last_owner_rule,
        concurrent_removals_of_the_last_two_owners_keep_one(flavor = "multi_thread", worker_threads = 2),
        active_counts_and_round_robin,
        removing_an_agent_requeues_their_consultations,
        faqs_are_ordered_by_position_then_creation,
        faq_search_in_question_and_answer,
        open_consultation_is_atomic,
        queue_order_and_paging,
        assign_close_and_reopen,
        support_messages_take_the_next_seq,
        a_closed_consultation_takes_no_messages,
        agents_share_one_read_marker,
        who_takes_part_in_a_support_conversation,
        deleting_an_org_removes_everything_of_it,
    }
}

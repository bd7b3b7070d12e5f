//! The node pool tested: cool-downs, probes, ranking and page limits.

use super::*;

fn ago(d: Duration) -> Instant {
    Instant::now().checked_sub(d).unwrap_or_else(Instant::now)
}

fn pool(n: usize) -> NodePool {
    let urls: Vec<String> = (0..n).map(|i| format!("http://n{i}")).collect();
    let pool = NodePool::new(&urls, 3, HealthConfig::default(), true);
    for i in 0..n {
        pool.set_height(i, 1000);
    }
    pool
}

#[test]
fn a_cooling_node_is_not_ranked_and_is_probed_before_traffic() {
    let p = pool(2);
    p.on_failure(0, Some(Duration::from_secs(10)));
    assert_eq!(p.ranked(&[]), vec![1]);
    assert!(p.needs_probe(0), "even a Retry-After ends with one probe");
    assert!(!p.all_cooling() && p.earliest_ready().is_some());
}

#[test]
fn a_gated_node_serves_only_after_its_probe() {
    let urls = vec!["http://a".to_owned(), "http://b".to_owned()];
    let p = NodePool::new(&urls, 3, HealthConfig::default(), true);
    assert!(p.ranked(&[]).is_empty());
    assert_eq!(p.take_probes(Duration::from_secs(60)), vec![0, 1]);
    assert!(
        p.take_probes(Duration::from_secs(60)).is_empty(),
        "one probe each"
    );
    assert!(p.settling());
    p.probe_done(1, Ok(5), Duration::from_millis(10));
    assert_eq!(p.ranked(&[]), vec![1]);
    let ungated = NodePool::new(&urls, 3, HealthConfig::default(), false);
    assert_eq!(ungated.ranked(&[]), vec![0, 1]);
}

#[test]
fn failures_are_counted_from_a_moment_on() {
    let p = pool(3);
    let before = Instant::now();
    p.on_failure(0, None);
    p.on_failure(2, None);
    assert_eq!(p.failing_since(before), 2);
    assert_eq!(p.failing_since(Instant::now() + Duration::from_secs(1)), 0);
}

#[test]
fn a_lower_max_limit_is_kept_per_node() {
    let p = pool(2);
    assert_eq!(p.page_limit(0), PAGE);
    assert!(p.lower_page_limit(0, 500));
    assert!(!p.lower_page_limit(0, 800), "never raised again");
    assert_eq!((p.page_limit(0), p.page_limit(1)), (500, PAGE));
}

#[test]
fn repeated_failures_cool_and_require_a_probe() {
    let p = pool(2);
    for _ in 0..3 {
        assert!(p.ranked(&[]).contains(&0));
        p.on_failure(0, None);
    }
    assert_eq!(p.ranked(&[]), vec![1]);
    assert!(p.needs_probe(0));
}

#[test]
fn a_try_asks_a_resting_node_again_and_it_serves_once_its_probe_answers() {
    let p = pool(2);
    // Both down: rests of 30 s and more, grown by several cool-downs.
    for _ in 0..4 {
        p.on_failure(0, Some(Duration::ZERO));
        p.on_failure(1, Some(Duration::ZERO));
    }
    p.nodes[0].health().failed_at = Some(ago(RECHECK_GAP));
    p.nodes[1].health().failed_at = Some(ago(RECHECK_GAP));
    assert!(p.all_cooling() && p.take_probes(Duration::from_secs(60)).is_empty());
    p.recheck();
    assert_eq!(
        p.take_probes(Duration::from_secs(60)),
        vec![0, 1],
        "a probe each at the next try"
    );
    assert!(p.ranked(&[]).is_empty(), "but no traffic before it answers");
    p.probe_done(0, Ok(1000), Duration::from_millis(5));
    assert_eq!(p.ranked(&[]), vec![0], "node 0 is back: it serves this try");
}

#[test]
fn a_retry_after_is_kept_at_a_try_but_not_when_the_user_asks_and_every_node_rests() {
    let p = pool(2);
    p.on_failure(0, Some(Duration::from_secs(50)));
    p.nodes[0].health().failed_at = Some(ago(RECHECK_GAP));
    p.recheck();
    assert!(p.nodes[0].health().resting(Instant::now()), "its own word");
    p.wake();
    assert!(
        p.nodes[0].health().resting(Instant::now()),
        "node 1 can answer: node 0 is skipped"
    );
    p.on_failure(1, Some(Duration::ZERO));
    assert!(p.all_cooling());
    p.wake();
    assert!(
        !p.all_cooling() && p.earliest_ready().is_none(),
        "all asked"
    );
    assert!(
        p.needs_probe(0) && p.needs_probe(1),
        "each by its probe first"
    );
}

#[test]
fn a_node_that_just_failed_is_not_asked_again_at_once() {
    let p = pool(1);
    p.on_failure(0, Some(Duration::ZERO));
    p.recheck();
    assert!(p.all_cooling(), "within the gap it rests");
    p.wake();
    assert!(!p.all_cooling(), "but the user's r asks whatever the delay");
}

#[test]
fn lagging_nodes_come_last() {
    let p = pool(3);
    p.set_height(0, 1000);
    p.set_height(1, 2000);
    p.set_height(2, 1995);
    assert_eq!(p.ranked(&[]), vec![1, 2, 0]);
}

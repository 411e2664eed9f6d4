package io.github.spectatorboot.registry;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The handles returned for a name and tag strings exactly as a caller passed them to
 * {@code counter(name, tags...)} and the like, so that asking again finds the handle without
 * building, normalising or hashing an {@code Id}.
 *
 * <p>A hash table whose reads take no lock and allocate nothing: nodes are immutable and each
 * holds its own copy of the tag strings. Writers, on a miss only, are serialised on the table; a
 * full table takes no more entries. The registry drops the whole table for a new one when a poll
 * removes meters, so a miss that started before that puts its handle into the dropped table.
 */
final class LookupCache<T> {

  private static final int INITIAL_BUCKETS = 16;

  private static final class Node<T> {
    final int hash;
    final String name;
    final String[] tags;
    final T handle;
    final Node<T> next;

    Node(int hash, String name, String[] tags, T handle, Node<T> next) {
      this.hash = hash;
      this.name = name;
      this.tags = tags;
      this.handle = handle;
      this.next = next;
    }
  }

  private final int capacity;
  private volatile AtomicReferenceArray<Node<T>> buckets = new AtomicReferenceArray<>(INITIAL_BUCKETS);
  /** Number of entries; guarded by {@code this}. */
  private int size;

  /** A table that takes at most {@code capacity} entries. */
  LookupCache(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Hash of a name and tag strings as passed, without allocating. The tags must not be null; an
   * element may be (it never matches a stored entry).
   */
  static int hash(String name, String[] tags) {
    int h = name.hashCode();
    if (tags.length == 2) {
      // one tag, the common call, read at constant indices: see copyOf
      h = 31 * (31 * h + hashOf(tags[0])) + hashOf(tags[1]);
    } else {
      for (String t : tags) {
        h = 31 * h + hashOf(t);
      }
    }
    return h ^ (h >>> 16);
  }

  private static int hashOf(String s) {
    return s == null ? 0 : s.hashCode();
  }

  /**
   * A copy of the caller's tag array. For one tag, this and the lookup read the array at constant
   * indices only: then C2's escape analysis can scalar-replace the varargs array a call like
   * {@code counter(name, "k", v)} builds, and a hit allocates nothing (a loop over the array
   * would keep that allocation).
   */
  static String[] copyOf(String[] tags) {
    return tags.length == 2 ? new String[] {tags[0], tags[1]} : tags.clone();
  }

  /** The handle stored for exactly these strings, or {@code null}. */
  T get(int hash, String name, String[] tags) {
    AtomicReferenceArray<Node<T>> b = buckets;
    for (Node<T> n = b.get(hash & (b.length() - 1)); n != null; n = n.next) {
      if (n.hash == hash && (n.name == name || n.name.equals(name)) && sameStrings(n.tags, tags)) {
        return n.handle;
      }
    }
    return null;
  }

  /** {@code Arrays.equals}, written out so that {@code tags} is only read where it is inlined. */
  private static boolean sameStrings(String[] stored, String[] tags) {
    if (stored.length != tags.length) {
      return false;
    }
    if (tags.length == 2) {
      return same(stored[0], tags[0]) && same(stored[1], tags[1]);
    }
    for (int i = 0; i < stored.length; i++) {
      if (!same(stored[i], tags[i])) {
        return false;
      }
    }
    return true;
  }

  /** Whether a stored string, never null, equals a caller's, which may be. */
  private static boolean same(String stored, String s) {
    return stored == s || stored.equals(s);
  }

  /**
   * Stores {@code handle} for a copy of the strings unless an entry for them exists or the table
   * is full. The name and the tags must not be null or contain null.
   */
  synchronized void put(int hash, String name, String[] tags, T handle) {
    if (size >= capacity || get(hash, name, tags) != null) {
      return;
    }
    AtomicReferenceArray<Node<T>> b = buckets;
    if (size >= b.length() - (b.length() >>> 2)) {
      b = resize(b);
    }
    int i = hash & (b.length() - 1);
    b.set(i, new Node<>(hash, name, copyOf(tags), handle, b.get(i)));
    size++;
  }

  /** Number of entries. */
  synchronized int size() {
    return size;
  }

  private AtomicReferenceArray<Node<T>> resize(AtomicReferenceArray<Node<T>> old) {
    AtomicReferenceArray<Node<T>> b = new AtomicReferenceArray<>(old.length() * 2);
    for (int j = 0; j < old.length(); j++) {
      for (Node<T> n = old.get(j); n != null; n = n.next) {
        int i = n.hash & (b.length() - 1);
        b.set(i, new Node<>(n.hash, n.name, n.tags, n.handle, b.get(i)));
      }
    }
    // readers still on the old array see every entry it had
    buckets = b;
    return b;
  }
}

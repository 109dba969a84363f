/**
 * A map for entries that come and go all the time in a long-lived table: the running
 * statements by context, the sessions' explicit transactions by backend pid.
 *
 * V8's Map allocates a new hash table as entries are deleted and added again, and once the Map
 * itself has moved to the old generation, each new table is allocated there. One entry added
 * and removed per statement so leaves a few hundred bytes of old-generation garbage per
 * statement, which only a full mark-compact collects: under a stream of point lookups that is
 * one every minute or so, seconds long on a heap holding a large table, with every session
 * stalled meanwhile. This map keeps its entries in two arrays that grow to the most entries it
 * ever held at once and no further, so steady churn allocates nothing. Lookups scan the keys:
 * it is meant for tables of at most a few hundred entries (sessions, statements). Iteration
 * follows insertion order, as a Map's does.
 */
export class ChurnMap<K, V> {
  private readonly keyList: K[] = [];
  private readonly valueList: V[] = [];

  get size(): number {
    return this.keyList.length;
  }

  get(key: K): V | undefined {
    const i = this.keyList.indexOf(key);
    return i < 0 ? undefined : this.valueList[i];
  }

  has(key: K): boolean {
    return this.keyList.indexOf(key) >= 0;
  }

  set(key: K, value: V): this {
    const i = this.keyList.indexOf(key);
    if (i >= 0) {
      this.valueList[i] = value;
    } else {
      this.keyList.push(key);
      this.valueList.push(value);
    }
    return this;
  }

  delete(key: K): boolean {
    const keys = this.keyList;
    const values = this.valueList;
    const i = keys.indexOf(key);
    if (i < 0) return false;
    for (let j = i + 1; j < keys.length; j++) {
      keys[j - 1] = keys[j]!;
      values[j - 1] = values[j]!;
    }
    keys.pop();
    values.pop();
    return true;
  }

  /** The values in insertion order; a copy, so entries may be deleted while iterating. */
  values(): IterableIterator<V> {
    return this.valueList.slice().values();
  }
}

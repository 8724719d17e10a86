package org.ttmsim.explore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.ttmsim.sim.SteppedRun;

/**
 * The canonical fingerprint of a run's state: a 64-bit hash of everything in the run's object graph that
 * can decide what later steps do and which invariants they break, so that two states with the same
 * fingerprint are explored once.
 *
 * <p>How: the graph is walked from the root in a fixed order (fields sorted by name; lists, linked maps
 * and sorted maps in their own order; hash maps and sets with comparable or long keys sorted by key;
 * identity-keyed maps by the walk number of their keys), objects are numbered in the order they are first
 * reached, and every primitive value, string, array element, class and reference (as the number of the
 * object it reaches) is mixed into the hash. Two graphs that are the same up to where the JVM put their
 * objects get the same fingerprint, whatever path built them. The immutable configuration the copier
 * shares ({@link StateCopier.Immutables}) is the same for every state of a cell and is skipped.
 *
 * <p><b>What it leaves out, and why that is sound</b> (nothing below is read by the model to decide
 * anything; each only counts, numbers or words what already happened):
 * <ul>
 *   <li>the cost ledger ({@code hw.CostLedger}): counters the model adds to and never reads;</li>
 *   <li>the event bus's sequence number, current step and log ({@code hw.EventBus.seq, step, log}): the
 *   runner sets the step before each step, and numbers only order trace lines; the bus's clock is the
 *   ledger, read only to stamp events with their simulated time;</li>
 *   <li>the sequence number, step, simulated time and sentence of events a monitor keeps as evidence
 *   ({@code hw.Event.seq, step, simulatedNs, pending, detail}): they word and place a later violation's
 *   evidence, never decide it;</li>
 *   <li>a page table's leaf at hand ({@code hw.PteTable.lastLeafNo, lastLeaf}): the leaf of the last
 *   lookup, kept to skip a hash probe when the next lookup falls in it; what any lookup returns does not
 *   depend on it. Left in, every lookup of a monitor (attribute-alias reads the linear map's TLB entries
 *   of the frames it suspects, in hash-set order) would keep equal states apart.</li>
 * </ul>
 * Everything else is in, including state that only history distinguishes (the CPU cache's LRU ticks, the
 * memory controller's write stamps, memo fields such as the last frame looked up): that can keep two
 * equivalent states apart (more states explored) but never merge two different ones. The CPU cache's
 * whole-frame ways, which keep their lines' tags, ticks and stamps implied, are written out before the walk
 * ({@link SteppedRun#writeOutCompactState}), so the roads that built a cache state do not show. DRAM's line
 * stamps of a frame ({@code hw.FrameLineStamps}) stay as they are, an array or a progression: the two forms
 * hold different stamps in practice (a progression is made by one whole-frame write-back, whose sequence
 * numbers nothing else repeats), and where they did not, states would only be kept apart. The hash is a 64-bit
 * mix (murmur3's finaliser per value over a multiply-rotate stream); the odds that two of n distinct states
 * collide are about n²/2⁶⁵ ({@link #collisionOdds}).
 *
 * <p>Lambdas are told apart by their defining class and what they capture (the JVM's own lambda class
 * numbers change from one JVM to the next). Not thread-safe; one instance per thread.
 */
final class Fingerprint {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NULL = 0x6a09e667f3bcc908L;
    private static final long SHARED = 0xbb67ae8584caa73bL;
    private static final long NEW_OBJECT = 0x3c6ef372fe94f82bL;
    private static final ClassValue<Plan> PLANS = new ClassValue<>() {
        @Override
        protected Plan computeValue(final Class<?> type) {
            return Plan.of(type);
        }
    };
    /** Fields left out: class name → field names (see the class comment). */
    private static final Map<String, Set<String>> LEFT_OUT = Map.of(
            "org.ttmsim.hw.EventBus", Set.of("seq", "step", "log"),
            "org.ttmsim.hw.Event", Set.of("seq", "step", "simulatedNs", "pending", "detail"),
            "org.ttmsim.hw.PteTable", Set.of("lastLeafNo", "lastLeaf"));
    /** Classes left out whole. */
    private static final Set<String> LEFT_OUT_CLASSES = Set.of("org.ttmsim.hw.CostLedger");

    private final IdentityHashMap<Object, Integer> numbers = new IdentityHashMap<>(256);
    private final ArrayDeque<Object> pending = new ArrayDeque<>(1024);
    private long h;

    /**
     * The fingerprint of everything reachable from {@code root}. A run ({@link SteppedRun}) first writes out
     * what it keeps in compact form ({@link SteppedRun#writeOutCompactState}), so that equal states have
     * equal fields whatever roads built them.
     */
    long of(final Object root) {
        if (root instanceof SteppedRun run) {
            run.writeOutCompactState();
        }
        numbers.clear();
        pending.clear();
        h = 0x510e527fade682d1L;
        ref(root);
        while (!pending.isEmpty()) {
            contents(pending.poll());
        }
        numbers.clear();
        return fmix(h ^ numbers.size());
    }

    /**
     * The estimated probability that two of {@code states} distinct states got the same fingerprint
     * (the birthday bound n(n-1)/2 / 2⁶⁴, as TLC estimates its own).
     */
    static double collisionOdds(final long states) {
        return (double) states * (states - 1) / 2.0 / 18446744073709551616.0;
    }

    private void mix(final long v) {
        h = Long.rotateLeft(h ^ fmix(v), 29) * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    }

    private static long fmix(final long v) {
        long k = v;
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    /** A reference: a value for immutables, the object's number otherwise (numbering it on first sight). */
    private void ref(final Object o) {
        if (o == null) {
            mix(NULL);
            return;
        }
        final Plan plan = PLANS.get(o.getClass());
        switch (plan.kind) {
            case STRING:
                mix(((String) o).hashCode() * 31L + ((String) o).length());
                return;
            case NUMBER:
                mix(o instanceof Double || o instanceof Float ? Double.doubleToLongBits(((Number) o).doubleValue())
                        : ((Number) o).longValue());
                return;
            case BOOLEAN:
                mix((Boolean) o ? 1 : 2);
                return;
            case ENUM:
                mix(plan.classHash + ((Enum<?>) o).ordinal());
                return;
            case SKIPPED:
                mix(SHARED ^ plan.classHash);
                return;
            default:
                break;
        }
        final Integer n = numbers.get(o);
        if (n != null) {
            mix(n);
            return;
        }
        numbers.put(o, numbers.size());
        mix(NEW_OBJECT ^ plan.classHash);
        pending.add(o);
    }

    private void contents(final Object o) {
        final Plan plan = PLANS.get(o.getClass());
        switch (plan.kind) {
            case PRIMITIVE_ARRAY:
                primitiveArray(o);
                return;
            case OBJECT_ARRAY: {
                final Object[] a = (Object[]) o;
                mix(a.length);
                for (final Object e : a) {
                    ref(e);
                }
                return;
            }
            case ORDERED:
                mix(((Collection<?>) o).size());
                for (final Object e : (Collection<?>) o) {
                    ref(e);
                }
                return;
            case ORDERED_MAP:
                mix(((Map<?, ?>) o).size());
                for (final Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                    ref(e.getKey());
                    ref(e.getValue());
                }
                return;
            case UNORDERED_SET:
                unorderedSet((Collection<?>) o);
                return;
            case UNORDERED_MAP:
                unorderedMap((Map<?, ?>) o);
                return;
            case BITSET:
                for (final long w : ((BitSet) o).toLongArray()) {
                    mix(w);
                }
                return;
            case LONG_OBJECT_MAP:
                longObjectMap(o);
                return;
            case LONG_LONG_MAP:
                longLongMap((Long2LongHashMap) o);
                return;
            case LONG_SET: {
                final long[] keys = new long[((LongHashSet) o).size()];
                int i = 0;
                for (final LongHashSet.LongIterator it = ((LongHashSet) o).iterator(); it.hasNext();) {
                    keys[i++] = it.nextValue();
                }
                Arrays.sort(keys);
                mix(keys.length);
                for (final long k : keys) {
                    mix(k);
                }
                return;
            }
            case FIELDS:
                fields(o, plan);
                return;
            default:
                throw new IllegalStateException("cannot fingerprint a " + o.getClass().getName()
                        + "; Fingerprint must learn it");
        }
    }

    private void fields(final Object o, final Plan plan) {
        try {
            for (final Field f : plan.fields) {
                final Class<?> t = f.getType();
                if (!t.isPrimitive()) {
                    ref(f.get(o));
                } else if (t == long.class) {
                    mix(f.getLong(o));
                } else if (t == int.class) {
                    mix(f.getInt(o));
                } else if (t == boolean.class) {
                    mix(f.getBoolean(o) ? 1 : 2);
                } else if (t == double.class || t == float.class) {
                    mix(Double.doubleToLongBits(f.getDouble(o)));
                } else {
                    mix(f.getLong(o));
                }
            }
        } catch (final IllegalAccessException e) {
            throw new IllegalStateException("cannot fingerprint " + o.getClass().getName(), e);
        }
    }

    private void primitiveArray(final Object o) {
        if (o instanceof byte[] b) {
            mix(b.length);
            final int whole = b.length & ~7;
            long acc = h;
            for (int i = 0; i < whole; i += 8) {
                acc = Long.rotateLeft(acc ^ ((long) LONGS.get(b, i) * 0x87c37b91114253d5L), 31) * 0x4cf5ad432745937fL;
            }
            h = acc;
            for (int i = whole; i < b.length; i++) {
                mix(b[i]);
            }
        } else if (o instanceof long[] l) {
            mix(l.length);
            for (final long v : l) {
                mix(v);
            }
        } else if (o instanceof int[] a) {
            mix(a.length);
            for (final int v : a) {
                mix(v);
            }
        } else if (o instanceof boolean[] z) {
            mix(z.length);
            for (final boolean v : z) {
                mix(v ? 1 : 2);
            }
        } else {
            final int n = Array.getLength(o);
            mix(n);
            for (int i = 0; i < n; i++) {
                final Object v = Array.get(o, i);
                mix(v instanceof Character c ? c : ((Number) v).longValue());
            }
        }
    }

    private void unorderedSet(final Collection<?> set) {
        mix(set.size());
        for (final Object e : canonicalOrder(new ArrayList<>(set))) {
            ref(e);
        }
    }

    private void unorderedMap(final Map<?, ?> map) {
        mix(map.size());
        final List<Object> keys = canonicalOrder(new ArrayList<>(map.keySet()));
        for (final Object k : keys) {
            ref(k);
            ref(map.get(k));
        }
    }

    /**
     * Keys in an order that does not depend on hash codes: by value for strings, numbers and enums, by walk
     * number for objects already reached; objects not yet reached keep their iteration order (none of the
     * model's identity-keyed maps holds such keys: they mirror lists walked before them).
     */
    private List<Object> canonicalOrder(final List<Object> keys) {
        keys.sort(Comparator.comparingLong(this::orderKey));
        return keys;
    }

    private long orderKey(final Object k) {
        if (k == null) {
            return Long.MIN_VALUE;
        }
        if (k instanceof String s) {
            return s.hashCode() * 4294967296L + s.length();
        }
        if (k instanceof Number n) {
            return n.longValue();
        }
        if (k instanceof Enum<?> e) {
            return e.ordinal();
        }
        final Integer n = numbers.get(k);
        return n != null ? n : Long.MAX_VALUE;
    }

    private void longObjectMap(final Object o) {
        @SuppressWarnings("unchecked")
        final Long2ObjectHashMap<Object> m = (Long2ObjectHashMap<Object>) o;
        final long[] keys = new long[m.size()];
        int i = 0;
        for (final Long2ObjectHashMap<Object>.KeyIterator it = m.keySet().iterator(); it.hasNext();) {
            keys[i++] = it.nextLong();
        }
        Arrays.sort(keys);
        mix(keys.length);
        for (final long k : keys) {
            mix(k);
            ref(m.get(k));
        }
    }

    private void longLongMap(final Long2LongHashMap m) {
        final long[] keys = new long[m.size()];
        int i = 0;
        for (final Long2LongHashMap.KeyIterator it = m.keySet().iterator(); it.hasNext();) {
            keys[i++] = it.nextValue();
        }
        Arrays.sort(keys);
        mix(keys.length);
        for (final long k : keys) {
            mix(k);
            mix(m.get(k));
        }
    }

    private enum Kind {
        STRING, NUMBER, BOOLEAN, ENUM, SKIPPED, PRIMITIVE_ARRAY, OBJECT_ARRAY, ORDERED, ORDERED_MAP, UNORDERED_SET,
        UNORDERED_MAP, BITSET, LONG_OBJECT_MAP, LONG_LONG_MAP, LONG_SET, FIELDS, REFUSED
    }

    /** How one class is fingerprinted; computed once per class. */
    private static final class Plan {
        final Kind kind;
        final long classHash;
        final Field[] fields;

        private Plan(final Kind kind, final long classHash, final Field[] fields) {
            this.kind = kind;
            this.classHash = classHash;
            this.fields = fields;
        }

        static Plan of(final Class<?> c) {
            final long hash = fmix(stableName(c).hashCode());
            final Kind kind = kind(c);
            return new Plan(kind, hash, kind == Kind.FIELDS ? fields(c) : null);
        }

        /** The class's name, without the per-JVM number of a lambda class. */
        private static String stableName(final Class<?> c) {
            final String n = c.getName();
            final int lambda = n.indexOf("$$Lambda");
            return lambda < 0 ? n : n.substring(0, lambda) + "$$Lambda" + c.getDeclaredFields().length;
        }

        private static Kind kind(final Class<?> c) {
            if (c == String.class) {
                return Kind.STRING;
            }
            if (c == Boolean.class) {
                return Kind.BOOLEAN;
            }
            if (Number.class.isAssignableFrom(c) && c.getName().startsWith("java.lang.") || c == Character.class) {
                return Kind.NUMBER;
            }
            if (Enum.class.isAssignableFrom(c)) {
                return Kind.ENUM;
            }
            if (c.isArray()) {
                return c.getComponentType().isPrimitive() ? Kind.PRIMITIVE_ARRAY : Kind.OBJECT_ARRAY;
            }
            if (LEFT_OUT_CLASSES.contains(c.getName()) || StateCopier.Immutables.isShared(c)
                    || c.isHidden() && c.getDeclaredFields().length == 0) {
                return Kind.SKIPPED;
            }
            if (c == BitSet.class) {
                return Kind.BITSET;
            }
            if (c == Long2ObjectHashMap.class) {
                return Kind.LONG_OBJECT_MAP;
            }
            if (c == Long2LongHashMap.class) {
                return Kind.LONG_LONG_MAP;
            }
            if (c == LongHashSet.class) {
                return Kind.LONG_SET;
            }
            if (LinkedHashMap.class.isAssignableFrom(c) || SortedMap.class.isAssignableFrom(c)) {
                return Kind.ORDERED_MAP;
            }
            if (LinkedHashSet.class.isAssignableFrom(c) || SortedSet.class.isAssignableFrom(c)
                    || List.class.isAssignableFrom(c) || c == ArrayDeque.class) {
                return Kind.ORDERED;
            }
            if (Map.class.isAssignableFrom(c)) {
                return Kind.UNORDERED_MAP;
            }
            if (Set.class.isAssignableFrom(c)) {
                return Kind.UNORDERED_SET;
            }
            if (StateCopier.Immutables.isOwn(c)) {
                return Kind.FIELDS;
            }
            return Kind.REFUSED;
        }

        private static Field[] fields(final Class<?> c) {
            final Set<String> leftOut = LEFT_OUT.getOrDefault(c.getName(), Set.of());
            final List<Field> out = new ArrayList<>();
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                final List<Field> own = new ArrayList<>();
                for (final Field f : k.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !(k == c && leftOut.contains(f.getName()))) {
                        f.setAccessible(true);
                        own.add(f);
                    }
                }
                own.sort(Comparator.comparing(Field::getName));
                out.addAll(own);
            }
            return out.toArray(new Field[0]);
        }
    }
}

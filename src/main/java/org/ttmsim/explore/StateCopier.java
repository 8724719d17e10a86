package org.ttmsim.explore;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.objenesis.Objenesis;
import org.objenesis.ObjenesisStd;
import org.objenesis.instantiator.ObjectInstantiator;

/**
 * Forks a run: a deep copy of the object graph of a {@code sim.SteppedRun} (machine, kernel, driver,
 * monitors, oracle), so that the copy and the original go on independently. This is the explorer's
 * fork; it touches no model class, so the model keeps no copy code of its own.
 *
 * <p>What is copied and how:
 * <ul>
 *   <li><b>shared, not copied</b>: immutable values ({@code String}, boxed numbers, enums, {@code Class},
 *   plain {@code Object} sentinels), the run's configuration (everything in {@code scenario},
 *   {@code release} and {@code design}, which hold no mutable state, and the records {@code MachineConfig},
 *   {@code CostParams}, {@code DmaDevice}), records whose components are all of such types, lambdas that
 *   capture nothing, the JDK's ciphers ({@code javax.crypto}: AES/ECB keeps no state between calls), and
 *   every value a static field of a model or Agrona class holds (sentinels compared by identity);</li>
 *   <li><b>model and Agrona objects</b>: a new instance (Objenesis, no constructor runs) whose fields are
 *   copies, field by field; arrays likewise; Agrona's long-keyed maps hash the key's value, so their
 *   tables copy as they are;</li>
 *   <li><b>records and capturing lambdas</b>: rebuilt through their constructor from copied components;</li>
 *   <li><b>JDK collections</b>: rebuilt through their public API in their iteration order. Hash-based and
 *   sorted ones are filled last, once every key is a complete copy, because identity hash codes change
 *   with the copy and comparisons read the keys' fields.</li>
 * </ul>
 * Anything else (a JDK class the model has not used so far) is refused with the path that reached it,
 * rather than copied wrongly: the fork tests run every built-in scenario through forks.
 *
 * <p>Not thread-safe; one copier per thread.
 */
final class StateCopier {
    private static final Objenesis OBJENESIS = new ObjenesisStd(true);
    private static final ClassValue<Plan> PLANS = new ClassValue<>() {
        @Override
        protected Plan computeValue(final Class<?> type) {
            return Plan.of(type);
        }
    };
    /**
     * Values of static fields of model and Agrona classes: shared by identity. Replaced, never changed, when a
     * class is planned, so that copies read it without a lock.
     */
    private static volatile IdentityHashMap<Object, Boolean> staticValues = new IdentityHashMap<>();
    /** The classes of {@link #staticValues}: only their instances are looked up there. */
    private static volatile Set<Class<?>> staticClasses = Set.of();
    /** Classes planned so far: a copy during which a class was first planned is made again (see {@link #copy}). */
    private static final java.util.concurrent.atomic.AtomicInteger PLANNED = new java.util.concurrent.atomic.AtomicInteger();

    private final IdentityHashMap<Object, Object> copies = new IdentityHashMap<>(256);
    private final ArrayDeque<Object> fill = new ArrayDeque<>(1024);
    private final ArrayDeque<Object> fillLast = new ArrayDeque<>();

    /** A deep copy of {@code root}: nothing reachable from the copy is shared with the original unless immutable. */
    @SuppressWarnings("unchecked")
    <T> T copy(final T root) {
        final int planned = PLANNED.get();
        fill.clear();
        fillLast.clear();
        statics = staticValues;
        withStatics = staticClasses;
        final T result = (T) copyOf(root);
        drain();
        copies.clear();
        // A class planned during this copy may hold, in a static field, a sentinel that was reached (and
        // copied) before its class was planned: copy again, now that every reachable class is known.
        return PLANNED.get() == planned ? result : copy(root);
    }

    private IdentityHashMap<Object, Boolean> statics;
    private Set<Class<?>> withStatics;

    private void drain() {
        while (!fill.isEmpty() || !fillLast.isEmpty()) {
            while (!fill.isEmpty()) {
                final Object original = fill.poll();
                fillFrom(original, copies.get(original));
            }
            if (!fillLast.isEmpty()) {
                // Keys first, so that every key is complete before it is hashed or compared.
                final Object original = fillLast.poll();
                final Object copy = copies.get(original);
                final List<Object> flat = new ArrayList<>();
                if (original instanceof Map<?, ?> m) {
                    for (final Map.Entry<?, ?> e : m.entrySet()) {
                        flat.add(copyOf(e.getKey()));
                        flat.add(copyOf(e.getValue()));
                    }
                } else {
                    for (final Object e : (Collection<?>) original) {
                        flat.add(copyOf(e));
                    }
                }
                while (!fill.isEmpty()) {
                    final Object o = fill.poll();
                    fillFrom(o, copies.get(o));
                }
                addAll(copy, flat);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void addAll(final Object copy, final List<Object> flat) {
        if (copy instanceof Map<?, ?> m) {
            final Map<Object, Object> map = (Map<Object, Object>) m;
            for (int i = 0; i < flat.size(); i += 2) {
                map.put(flat.get(i), flat.get(i + 1));
            }
        } else {
            ((Collection<Object>) copy).addAll(flat);
        }
    }

    private Object copyOf(final Object o) {
        if (o == null) {
            return null;
        }
        final Plan plan = PLANS.get(o.getClass());
        if (plan.kind == Kind.SHARED || withStatics.contains(o.getClass()) && statics.containsKey(o)) {
            return o;
        }
        final Object done = copies.get(o);
        if (done != null) {
            return done;
        }
        switch (plan.kind) {
            case PRIMITIVE_ARRAY:
                return register(o, cloneArray(o));
            case OBJECT_ARRAY:
                fill.add(o);
                return register(o, Array.newInstance(o.getClass().getComponentType(), Array.getLength(o)));
            case FIELDS:
                fill.add(o);
                return register(o, plan.instantiator.newInstance());
            case RECORD:
            case LAMBDA:
                return register(o, construct(o, plan));
            case LIST:
                fill.add(o);
                return register(o, o instanceof ArrayDeque<?> ? new ArrayDeque<>() : new ArrayList<>(((List<?>) o).size()));
            case BITSET:
                return register(o, ((BitSet) o).clone());
            case HASHED:
                fillLast.add(o);
                return register(o, emptyLike(o));
            default:
                throw new IllegalStateException("cannot fork a " + o.getClass().getName() + " (" + plan.why
                        + "); StateCopier must learn it");
        }
    }

    private Object register(final Object original, final Object copy) {
        copies.put(original, copy);
        return copy;
    }

    private static Object cloneArray(final Object a) {
        if (a instanceof byte[] b) {
            return b.clone();
        }
        if (a instanceof long[] l) {
            return l.clone();
        }
        if (a instanceof int[] i) {
            return i.clone();
        }
        if (a instanceof boolean[] z) {
            return z.clone();
        }
        if (a instanceof short[] s) {
            return s.clone();
        }
        if (a instanceof char[] c) {
            return c.clone();
        }
        if (a instanceof double[] d) {
            return d.clone();
        }
        return ((float[]) a).clone();
    }

    private Object emptyLike(final Object o) {
        if (o instanceof TreeMap<?, ?> t) {
            return new TreeMap<>(comparator(t.comparator()));
        }
        if (o instanceof TreeSet<?> t) {
            return new TreeSet<>(comparator(t.comparator()));
        }
        if (o instanceof LinkedHashMap<?, ?>) {
            return new LinkedHashMap<>();
        }
        if (o instanceof HashMap<?, ?>) {
            return new HashMap<>();
        }
        if (o instanceof IdentityHashMap<?, ?>) {
            return new IdentityHashMap<>();
        }
        if (o instanceof LinkedHashSet<?>) {
            return new LinkedHashSet<>();
        }
        return new HashSet<>();
    }

    @SuppressWarnings("unchecked")
    private java.util.Comparator<Object> comparator(final java.util.Comparator<?> c) {
        return (java.util.Comparator<Object>) copyOf(c);
    }

    private Object construct(final Object o, final Plan plan) {
        if (copies.containsKey(o)) {
            return copies.get(o);
        }
        final Object[] args = new Object[plan.refFields.length];
        copies.put(o, IN_PROGRESS);
        for (int i = 0; i < args.length; i++) {
            final Object value = get(plan.refFields[i], o);
            args[i] = plan.refFields[i].getType().isPrimitive() ? value : copyOf(value);
            if (args[i] == IN_PROGRESS) {
                throw new IllegalStateException("cannot fork a cycle through the record or lambda " + o.getClass());
            }
        }
        copies.remove(o);
        try {
            return plan.constructor.newInstance(args);
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + o.getClass().getName(), e);
        }
    }

    private static final Object IN_PROGRESS = new Object();

    private void fillFrom(final Object original, final Object copy) {
        final Plan plan = PLANS.get(original.getClass());
        if (plan.kind == Kind.OBJECT_ARRAY) {
            final Object[] from = (Object[]) original;
            final Object[] to = (Object[]) copy;
            for (int i = 0; i < from.length; i++) {
                to[i] = copyOf(from[i]);
            }
            return;
        }
        if (plan.kind == Kind.LIST) {
            @SuppressWarnings("unchecked")
            final Collection<Object> to = (Collection<Object>) copy;
            for (final Object e : (Collection<?>) original) {
                to.add(copyOf(e));
            }
            return;
        }
        try {
            for (final Field f : plan.primitiveFields) {
                copyPrimitive(f, original, copy);
            }
            for (final Field f : plan.refFields) {
                f.set(copy, copyOf(f.get(original)));
            }
        } catch (final IllegalAccessException e) {
            throw new IllegalStateException("cannot fork " + original.getClass().getName(), e);
        }
    }

    private static void copyPrimitive(final Field f, final Object from, final Object to) throws IllegalAccessException {
        final Class<?> t = f.getType();
        if (t == long.class) {
            f.setLong(to, f.getLong(from));
        } else if (t == int.class) {
            f.setInt(to, f.getInt(from));
        } else if (t == boolean.class) {
            f.setBoolean(to, f.getBoolean(from));
        } else if (t == byte.class) {
            f.setByte(to, f.getByte(from));
        } else if (t == short.class) {
            f.setShort(to, f.getShort(from));
        } else if (t == char.class) {
            f.setChar(to, f.getChar(from));
        } else if (t == double.class) {
            f.setDouble(to, f.getDouble(from));
        } else {
            f.setFloat(to, f.getFloat(from));
        }
    }

    private static Object get(final Field f, final Object o) {
        try {
            return f.get(o);
        } catch (final IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + f, e);
        }
    }

    private enum Kind { SHARED, PRIMITIVE_ARRAY, OBJECT_ARRAY, FIELDS, RECORD, LAMBDA, LIST, BITSET, HASHED, REFUSED }

    /** How instances of one class are forked; computed once per class. */
    private static final class Plan {
        final Kind kind;
        final String why;
        final Field[] primitiveFields;
        /** FIELDS: the reference fields; RECORD and LAMBDA: every constructor argument, in order. */
        final Field[] refFields;
        final ObjectInstantiator<?> instantiator;
        final Constructor<?> constructor;

        private Plan(final Kind kind, final String why, final Field[] primitiveFields, final Field[] refFields,
                final ObjectInstantiator<?> instantiator, final Constructor<?> constructor) {
            this.kind = kind;
            this.why = why;
            this.primitiveFields = primitiveFields;
            this.refFields = refFields;
            this.instantiator = instantiator;
            this.constructor = constructor;
        }

        static Plan simple(final Kind kind, final String why) {
            return new Plan(kind, why, null, null, null, null);
        }

        static Plan of(final Class<?> c) {
            PLANNED.incrementAndGet();
            if (c.isArray()) {
                return simple(c.getComponentType().isPrimitive() ? Kind.PRIMITIVE_ARRAY : Kind.OBJECT_ARRAY, "array");
            }
            if (Immutables.isShared(c)) {
                return simple(Kind.SHARED, "immutable");
            }
            if (c == ArrayList.class || c == ArrayDeque.class || c == java.util.LinkedList.class) {
                return simple(Kind.LIST, "list");
            }
            if (c == BitSet.class) {
                return simple(Kind.BITSET, "bit set");
            }
            if (c == HashMap.class || c == LinkedHashMap.class || c == IdentityHashMap.class || c == HashSet.class
                    || c == LinkedHashSet.class || c == TreeMap.class || c == TreeSet.class) {
                return simple(Kind.HASHED, "hashed or sorted collection");
            }
            if (!Immutables.isOwn(c)) {
                return simple(Kind.REFUSED, "a JDK or library class the copier does not know");
            }
            scanStatics(c);
            if (c.isHidden()) {
                return lambda(c);
            }
            if (c.isRecord()) {
                return record(c);
            }
            final List<Field> prims = new ArrayList<>();
            final List<Field> refs = new ArrayList<>();
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (final Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    f.setAccessible(true);
                    (f.getType().isPrimitive() ? prims : refs).add(f);
                }
            }
            return new Plan(Kind.FIELDS, "fields", prims.toArray(new Field[0]), refs.toArray(new Field[0]),
                    OBJENESIS.getInstantiatorOf(c), null);
        }

        private static Plan record(final Class<?> c) {
            final RecordComponent[] rc = c.getRecordComponents();
            final Field[] fields = new Field[rc.length];
            final Class<?>[] types = new Class<?>[rc.length];
            try {
                for (int i = 0; i < rc.length; i++) {
                    fields[i] = c.getDeclaredField(rc[i].getName());
                    fields[i].setAccessible(true);
                    types[i] = rc[i].getType();
                }
                final Constructor<?> ctor = c.getDeclaredConstructor(types);
                ctor.setAccessible(true);
                return new Plan(Kind.RECORD, "record", new Field[0], fields, null, ctor);
            } catch (final ReflectiveOperationException e) {
                throw new IllegalStateException("cannot plan the fork of record " + c.getName(), e);
            }
        }

        private static Plan lambda(final Class<?> c) {
            final Field[] fields = c.getDeclaredFields();
            final List<Field> captured = new ArrayList<>();
            for (final Field f : fields) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true);
                    captured.add(f);
                }
            }
            if (captured.isEmpty()) {
                return simple(Kind.SHARED, "lambda capturing nothing");
            }
            final Constructor<?> ctor = c.getDeclaredConstructors()[0];
            ctor.setAccessible(true);
            final Class<?>[] params = ctor.getParameterTypes();
            final Field[] ordered = new Field[params.length];
            // A lambda's constructor takes its captured values in field order (arg$1, arg$2, ...).
            captured.sort(java.util.Comparator.comparingInt(f -> Integer.parseInt(f.getName().substring(f.getName().indexOf('$') + 1))));
            for (int i = 0; i < params.length; i++) {
                ordered[i] = captured.get(i);
            }
            return new Plan(Kind.LAMBDA, "lambda", new Field[0], ordered, null, ctor);
        }

        private static synchronized void scanStatics(final Class<?> c) {
            final IdentityHashMap<Object, Boolean> next = new IdentityHashMap<>(staticValues);
            for (final Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                    try {
                        f.setAccessible(true);
                        final Object v = f.get(null);
                        if (v != null) {
                            next.put(v, Boolean.TRUE);
                        }
                    } catch (final ReflectiveOperationException | RuntimeException e) {
                        // a static we cannot read is not reachable through instances either
                    }
                }
            }
            final Set<Class<?>> classes = new HashSet<>();
            next.keySet().forEach(v -> classes.add(v.getClass()));
            staticValues = next;
            staticClasses = classes;
        }
    }

    /** Which classes are immutable (shared by the copy) and which are the model's own (copied field by field). */
    static final class Immutables {
        private static final Set<String> SHARED_PACKAGES = Set.of("org.ttmsim.scenario", "org.ttmsim.release",
                "org.ttmsim.design");
        private static final Set<String> SHARED_CLASSES = Set.of("org.ttmsim.hw.MachineConfig",
                "org.ttmsim.hw.CostParams", "org.ttmsim.dma.DmaDevice");

        private Immutables() {
        }

        static boolean isOwn(final Class<?> c) {
            final String n = c.getName();
            return n.startsWith("org.ttmsim.") || n.startsWith("org.agrona.");
        }

        static boolean isShared(final Class<?> c) {
            if (c == String.class || c == Object.class || c == Class.class || Number.class.isAssignableFrom(c)
                    && c.getName().startsWith("java.lang.") || c == Boolean.class || c == Character.class
                    || Enum.class.isAssignableFrom(c)) {
                return true;
            }
            final String n = c.getName();
            if (n.startsWith("javax.crypto.") || n.startsWith("com.sun.crypto.") || n.startsWith("java.security.")) {
                return true;
            }
            if (SHARED_CLASSES.contains(n) || SHARED_PACKAGES.contains(c.getPackageName())) {
                return true;
            }
            if (c.isRecord()) {
                for (final RecordComponent rc : c.getRecordComponents()) {
                    final Class<?> t = rc.getType();
                    if (!(t.isPrimitive() || t != Object.class && !t.isInterface() && isShared(t))) {
                        return false;
                    }
                }
                return true;
            }
            return false;
        }
    }
}

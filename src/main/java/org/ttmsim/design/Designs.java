package org.ttmsim.design;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * The registry of designs: the ten of docs/DESIGNS.md in its order, then {@code stock} (the release with no
 * patch), then users' own designs. Feeds {@code ttmsim designs}, the scenario parser's vocabulary, the
 * matrix's default rows and the explorer's cells: a design in the registry runs everywhere a built-in one
 * does, under its own id.
 *
 * <p>A user's design is a public class implementing {@link Design} with a public no-argument constructor.
 * It joins the registry in one of three ways:
 * <ul>
 *   <li>on the class path, listed in {@code META-INF/services/org.ttmsim.design.Design}: found through
 *   {@link ServiceLoader} when the registry is first read (such designs follow the built-ins in id order);</li>
 *   <li>named by its class ({@code --design-class FQCN}): {@link #load(String)};</li>
 *   <li>handed over by a program: {@link #register(Design)}.</li>
 * </ul>
 * Ids are unique: a design whose id is taken, or is not lower-case words joined by dashes, is refused with
 * a message naming both classes. Thread-safe: reads see an immutable list; changes are serialised.
 */
public final class Designs {
    private static final List<Design> BUILT_IN = List.of(new Pre2019(), new V1SevActive(), new V2PerFault(),
            new MmapTime(), new InsertPfn(), new DmaMmapCoherent(), new DmaPgprot(), new RefuseDma(),
            new AlwaysDecrypted(), new Upstream2024(), new Stock());
    /** What an id may look like: the documented ids are lower-case words and digits joined by dashes. */
    private static final Pattern ID = Pattern.compile("[a-z0-9]+(?:[-.][a-z0-9]+)*");

    /** Every design, in order; null until first read (the class path is searched then). */
    private static volatile List<Design> all;
    /** Where each design that is not built in came from, for {@code ttmsim designs}. */
    private static final Map<Design, String> SOURCES = new IdentityHashMap<>();

    private Designs() {
    }

    /**
     * Every design: built-in ones in docs/DESIGNS.md order, then those found on the class path (by id), then those
     * loaded or registered, in that order.
     *
     * @throws IllegalArgumentException when a design on the class path cannot be loaded or its id is taken
     */
    public static List<Design> all() {
        final List<Design> a = all;
        return a != null ? a : discover();
    }

    /** The design with this id; throws naming the valid ids. */
    public static Design byId(final String id) {
        for (final Design d : all()) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown design '" + id + "' (" + String.join(", ", ids()) + ")");
    }

    /** The ids of {@link #all()}, in the same order. */
    public static List<String> ids() {
        return all().stream().map(Design::id).toList();
    }

    /** Whether {@code d} is one of the built-in designs of docs/DESIGNS.md (or {@code stock}). */
    public static boolean builtIn(final Design d) {
        return BUILT_IN.contains(d);
    }

    /**
     * Where a design comes from: {@code built-in}, or the class and how it was found ({@code class path},
     * {@code --design-class}, {@code registered}).
     */
    public static String source(final Design d) {
        if (builtIn(d)) {
            return "built-in";
        }
        synchronized (Designs.class) {
            final String s = SOURCES.get(d);
            return d.getClass().getName() + " (" + (s != null ? s : "registered") + ")";
        }
    }

    /**
     * Adds a design a program made. Idempotent for the same object.
     *
     * @return the design
     * @throws IllegalArgumentException when its id is malformed or taken by another design
     */
    public static Design register(final Design design) {
        return add(design, "registered");
    }

    /**
     * Loads the class named {@code className} (with the thread's context class loader, else this one's),
     * makes one with its public no-argument constructor and registers it: {@code --design-class}. Loading a
     * class already registered returns the registered design.
     *
     * @throws IllegalArgumentException saying what is wrong: no such class, not a {@link Design}, no public
     *                                  no-argument constructor, its constructor failed, its id malformed or taken
     */
    public static Design load(final String className) {
        for (final Design d : all()) {
            if (d.getClass().getName().equals(className)) {
                return d;
            }
        }
        final Class<?> type;
        try {
            type = Class.forName(className, true, loader());
        } catch (final ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("no class " + className + " on the class path"
                    + (e instanceof LinkageError ? " that loads (" + e + ")" : "")
                    + "; add its jar with TTMSIM_CLASSPATH (the launcher) or -cp");
        }
        if (!Design.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " does not implement " + Design.class.getName());
        }
        if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException(className + " is " + (type.isInterface() ? "an interface" : "abstract")
                    + ": name a concrete class that implements it");
        }
        final Design d;
        try {
            d = (Design) type.getConstructor().newInstance();
        } catch (final NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalArgumentException(className + " has no public no-argument constructor");
        } catch (final ReflectiveOperationException | RuntimeException e) {
            final Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalArgumentException(className + "'s constructor failed: " + cause);
        }
        return add(d, "--design-class");
    }

    /**
     * Removes a design that was loaded or registered (built-in ones stay): for tests and for programs
     * that try designs one after another in one JVM.
     *
     * @return whether it was in the registry
     */
    public static synchronized boolean unregister(final Design design) {
        if (builtIn(design) || !all().contains(design)) {
            return false;
        }
        final List<Design> next = new ArrayList<>(all());
        next.remove(design);
        SOURCES.remove(design);
        all = List.copyOf(next);
        return true;
    }

    private static ClassLoader loader() {
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Designs.class.getClassLoader();
    }

    /** The built-ins and the class path's designs (ServiceLoader), once. */
    private static synchronized List<Design> discover() {
        if (all != null) {
            return all;
        }
        final List<Design> found = new ArrayList<>();
        try {
            for (final Design d : ServiceLoader.load(Design.class, loader())) {
                found.add(d);
            }
        } catch (final ServiceConfigurationError e) {
            throw new IllegalArgumentException("a design listed in META-INF/services/" + Design.class.getName()
                    + " on the class path cannot be loaded: " + e.getMessage());
        }
        found.sort(Comparator.comparing(Design::id));
        all = BUILT_IN;
        try {
            for (final Design d : found) {
                add(d, "class path");
            }
        } catch (final IllegalArgumentException e) {
            all = null; // every later read fails the same way, rather than seeing half the class path
            SOURCES.clear();
            throw e;
        }
        return all;
    }

    private static synchronized Design add(final Design design, final String source) {
        Objects.requireNonNull(design, "design");
        final List<Design> current = all();
        if (current.contains(design)) {
            return design;
        }
        final String id = design.id();
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("design " + design.getClass().getName() + " has id '" + id
                    + "': an id is lower-case words or digits joined by dashes, such as my-design-2");
        }
        for (final Design d : current) {
            if (d.id().equals(id)) {
                throw new IllegalArgumentException("design " + design.getClass().getName() + " (" + source
                        + ") has id '" + id + "', which " + (builtIn(d) ? "a built-in design" : d.getClass().getName())
                        + " already has");
            }
        }
        if (design.ownRelease() == null || design.summary() == null || design.origin() == null) {
            throw new IllegalArgumentException("design " + design.getClass().getName() + " must give its summary,"
                    + " origin and own release (null found)");
        }
        final List<Design> next = new ArrayList<>(current);
        next.add(design);
        SOURCES.put(design, source);
        all = List.copyOf(next);
        return design;
    }
}

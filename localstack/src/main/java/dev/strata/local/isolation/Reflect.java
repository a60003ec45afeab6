package dev.strata.local.isolation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** Calls into an application loaded by an {@link AppClassLoader}, whose types the launcher cannot name. */
final class Reflect {
    private Reflect() {}

    static Object call(Object target, String method, Object... args) {
        return invoke(target.getClass(), target, method, args);
    }

    static Object callStatic(Class<?> type, String method, Object... args) {
        return invoke(type, null, method, args);
    }

    static <T> T withContextLoader(ClassLoader loader, Callable<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Object invoke(Class<?> type, Object target, String name, Object[] args) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length && accepts(m, args)) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(type.getName() + "." + name + " failed", e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(type.getName() + "." + name + " is not accessible", e);
                }
            }
        }
        throw new IllegalStateException("no public method " + type.getName() + "." + name + " taking "
                + Arrays.toString(Arrays.stream(args).map(a -> a == null ? "null" : a.getClass().getSimpleName())
                .toArray()) + "; has the application's API changed?");
    }

    private static boolean accepts(Method m, Object[] args) {
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < args.length; i++) {
            if (args[i] != null && !box(types[i]).isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    private static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return switch (t.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "boolean" -> Boolean.class;
            case "double" -> Double.class;
            default -> t;
        };
    }
}

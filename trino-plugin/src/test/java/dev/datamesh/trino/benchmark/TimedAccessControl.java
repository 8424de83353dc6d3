package dev.datamesh.trino.benchmark;

import io.trino.spi.security.SystemAccessControl;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.LongAdder;

import static java.util.Objects.requireNonNull;

/**
 * An access control that forwards every call to another and adds up the time spent in them, on
 * whatever thread the engine calls it: with one query running at a time, the time a query's
 * governance took.
 */
final class TimedAccessControl
        implements InvocationHandler
{
    private final SystemAccessControl delegate;
    private final LongAdder nanos = new LongAdder();
    private final LongAdder calls = new LongAdder();

    private TimedAccessControl(SystemAccessControl delegate)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    static TimedAccessControl timing(SystemAccessControl delegate)
    {
        return new TimedAccessControl(delegate);
    }

    SystemAccessControl accessControl()
    {
        return (SystemAccessControl) Proxy.newProxyInstance(SystemAccessControl.class.getClassLoader(), new Class<?>[] {SystemAccessControl.class}, this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments)
            throws Throwable
    {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(this, arguments);
        }
        long start = System.nanoTime();
        try {
            return method.invoke(delegate, arguments);
        }
        catch (InvocationTargetException e) {
            throw e.getCause();
        }
        finally {
            nanos.add(System.nanoTime() - start);
            calls.increment();
        }
    }

    /**
     * The time and number of calls since the last reset.
     */
    Spent reset()
    {
        return new Spent(nanos.sumThenReset() / 1_000_000.0, calls.sumThenReset());
    }

    record Spent(double millis, long calls) {}
}

package org.livemetrics.api;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose request line and headers have not all arrived within a deadline of
 * its opening (or of its previous response, on a kept-alive connection): a slow-loris client,
 * sending a header byte now and then, cannot hold a connection and a thread's worth of state open.
 * Jetty's idle timeout cannot: it restarts at every byte. A bean of the connector, so Jetty tells
 * it when each connection opens and closes and when each request's headers are complete.
 */
final class HeaderReadDeadline implements Connection.Listener, HttpChannel.Listener {
  private final AbstractConnector connector;
  private final long deadlineMs;
  private final ConcurrentMap<Connection, Scheduler.Task> armed = new ConcurrentHashMap<>();

  HeaderReadDeadline(AbstractConnector connector, Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("the header deadline must be positive: " + deadline);
    }
    this.connector = connector;
    this.deadlineMs = deadline.toMillis();
  }

  @Override
  public void onOpened(Connection connection) {
    arm(connection);
  }

  @Override
  public void onClosed(Connection connection) {
    Scheduler.Task task = armed.remove(connection);
    if (task != null) {
      task.cancel();
    }
  }

  /** The request line and headers are in: the deadline is met. */
  @Override
  public void onRequestBegin(Request request) {
    onClosed(request.getHttpChannel().getConnection());
  }

  /** The next request on a kept-alive connection has the same deadline from now. */
  @Override
  public void onComplete(Request request) {
    Connection connection = request.getHttpChannel().getConnection();
    if (connection.getEndPoint().isOpen()) {
      arm(connection);
    }
  }

  private void arm(Connection connection) {
    Scheduler.Task[] task = new Scheduler.Task[1];
    task[0] = connector.getScheduler().schedule(() -> {
      if (armed.remove(connection, task[0])) {
        connection.getEndPoint().close();
      }
    }, deadlineMs, TimeUnit.MILLISECONDS);
    Scheduler.Task previous = armed.put(connection, task[0]);
    if (previous != null) {
      previous.cancel();
    }
  }
}

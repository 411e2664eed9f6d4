package io.github.spectatorboot.startup;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application's class path with no beans of its own, so that it starts with and without
 * the starter ({@code --spectator.enabled=false}); {@code benchmarks/startup-cost.sh} times both.
 */
@SpringBootApplication
public class BareApplication {

  public static void main(String[] args) {
    SpringApplication.run(BareApplication.class, args).close();
  }
}

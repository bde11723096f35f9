package io.hermod;

public final class Main {
  public static void main(String[] args) {
  }
}

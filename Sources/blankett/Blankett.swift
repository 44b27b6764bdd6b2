import ArgumentParser

@main
struct Blankett: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blankett",
        abstract: "Blankett: state-grant forms for Swedish municipalities.",
        subcommands: [Serve.self, Migrate.self, Forms.self, Admin.self, Demo.self, Verify.self, Export.self, Keys.self, Worker.self, Remind.self]
    )
}

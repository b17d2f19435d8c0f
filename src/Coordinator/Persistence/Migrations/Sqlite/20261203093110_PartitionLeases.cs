using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Messaging.Coordinator.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PartitionLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "workflow_coordinator_members",
                columns: table => new
                {
                    MemberId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workflow_coordinator_members", x => x.MemberId);
                });

            migrationBuilder.CreateTable(
                name: "workflow_partition_leases",
                columns: table => new
                {
                    Partition = table.Column<int>(type: "INTEGER", nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workflow_partition_leases", x => x.Partition);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "workflow_coordinator_members");

            migrationBuilder.DropTable(
                name: "workflow_partition_leases");
        }
    }
}

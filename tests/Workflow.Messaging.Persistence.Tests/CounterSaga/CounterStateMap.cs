using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workflow.Messaging.Persistence.Tests.CounterSaga;

public class CounterStateMap : IEntityTypeConfiguration<CounterState>
{
    public void Configure(EntityTypeBuilder<CounterState> builder)
    {
        builder.MapWorkflowSaga();
        builder.Property(x => x.CurrentState).HasMaxLength(64);
    }
}

import { useParams } from 'react-router-dom';
import { GenerationView } from '../features/generation/components/GenerationView';

export default function GenerationPage() {
  const { id = '' } = useParams();
  return (
    <div className="container page">
      <GenerationView key={id} id={id} />
    </div>
  );
}
